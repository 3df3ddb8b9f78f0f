package io.axle.serving;

import java.util.List;

/** What a model takes and gives, from its ONNX graph or its MLmodel {@code signature}. */
public record ModelSignature(List<TensorSpec> inputs, List<TensorSpec> outputs) {
    public ModelSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
