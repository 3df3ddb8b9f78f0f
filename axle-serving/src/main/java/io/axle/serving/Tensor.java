package io.axle.serving;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;

/**
 * A named tensor in row-major order. {@code data} is a flat primitive array matching {@code type}: {@code float[]}
 * (FP32), {@code double[]} (FP64), {@code int[]} (INT32), {@code long[]} (INT64), {@code boolean[]} (BOOL) or
 * {@code byte[][]} (BYTES, one element per string); its length is the product of {@code shape}.
 */
public record Tensor(String name, DataType type, long[] shape, Object data) {
    public Tensor {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(shape, "shape is null");
        requireNonNull(data, "data is null");
        Class<?> expected = arrayClass(type);
        if (!expected.isInstance(data)) {
            throw new IllegalArgumentException("tensor '" + name + "' of type " + type + " needs a "
                    + expected.getSimpleName() + ", not a " + data.getClass().getSimpleName());
        }
        long elements = elementCount(shape);
        int length = java.lang.reflect.Array.getLength(data);
        if (elements != length) {
            throw AxleException.invalidParameter("tensor '" + name + "' has shape " + java.util.Arrays.toString(shape)
                    + " (" + elements + " elements) but " + length + " values");
        }
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The number of elements a shape holds; a negative dimension is refused. */
    public static long elementCount(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw AxleException.invalidParameter(
                        "shape " + java.util.Arrays.toString(shape) + " has a negative dimension");
            }
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    public static Class<?> arrayClass(DataType type) {
        return switch (type) {
            case FP32 -> float[].class;
            case FP64 -> double[].class;
            case INT32 -> int[].class;
            case INT64 -> long[].class;
            case BOOL -> boolean[].class;
            case BYTES -> byte[][].class;
        };
    }
}
