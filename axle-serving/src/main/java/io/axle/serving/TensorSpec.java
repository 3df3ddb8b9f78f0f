package io.axle.serving;

import static java.util.Objects.requireNonNull;

/** A tensor a model takes or gives: name, type and shape, {@code -1} for a dimension of any size (the batch, say). */
public record TensorSpec(String name, DataType type, long[] shape) {
    public TensorSpec {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        shape = requireNonNull(shape, "shape is null").clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }
}
