package io.axle.serving.model;

import io.axle.common.AxleException;
import io.axle.serving.ModelSignature;
import io.axle.serving.Tensor;
import io.axle.serving.TensorSpec;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks a request's tensors against what the model takes, before ONNX Runtime (or a batch) sees them: a missing or
 * unknown input, a wrong type, rank or fixed dimension is a 400 naming the tensor and what it expects.
 */
public final class InputValidation {
    private InputValidation() {}

    public static void check(ModelSignature signature, Map<String, Tensor> inputs) {
        for (String name : inputs.keySet()) {
            if (signature.inputs().stream().noneMatch(spec -> spec.name().equals(name))) {
                throw AxleException.invalidParameter(
                        "unknown input tensor '" + name + "'; the model takes " + describe(signature));
            }
        }
        for (TensorSpec spec : signature.inputs()) {
            Tensor tensor = inputs.get(spec.name());
            if (tensor == null) {
                throw AxleException.invalidParameter(
                        "missing input tensor '" + spec.name() + "': expected " + describe(spec));
            }
            if (tensor.type() != spec.type() || !fits(spec.shape(), tensor.shape())) {
                throw AxleException.invalidParameter("input tensor '" + spec.name() + "' expects " + describe(spec)
                        + ", got " + tensor.type() + " " + Arrays.toString(tensor.shape()));
            }
        }
    }

    /** {@code FP32 [-1, 4]}, where -1 is a dimension of any size. */
    static String describe(TensorSpec spec) {
        return spec.type() + " " + Arrays.toString(spec.shape());
    }

    static String describe(ModelSignature signature) {
        return signature.inputs().stream()
                .map(spec -> "'" + spec.name() + "' (" + describe(spec) + ")")
                .collect(Collectors.joining(", "));
    }

    private static boolean fits(long[] expected, long[] actual) {
        if (expected.length != actual.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] >= 0 && expected[i] != actual[i]) {
                return false;
            }
        }
        return true;
    }
}
