package io.axle.serving;

import java.util.Map;
import java.util.Optional;

/**
 * A loaded model. {@link #predict} is thread-safe (ONNX Runtime's {@code session.run} is) and takes whole batches:
 * every input's first dimension is the batch when the signature's first dimension is {@code -1}.
 */
public interface Model extends AutoCloseable {
    /** The name the server announces: {@code --name}, else the registered model's, else the directory's. */
    String name();

    /** The registered model version, when the model came from the registry. */
    Optional<String> version();

    /** {@code onnxruntime} for the ONNX flavor; what OIP metadata calls the platform. */
    String platform();

    ModelSignature signature();

    /**
     * Runs the model. Inputs are checked against the signature first: a missing or unknown input, a wrong type or a
     * wrong shape is an {@link io.axle.common.AxleException} (400) that names the tensor and what it expects.
     */
    Map<String, Tensor> predict(Map<String, Tensor> inputs);

    @Override
    void close();
}
