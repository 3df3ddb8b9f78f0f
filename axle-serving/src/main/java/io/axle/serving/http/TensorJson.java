package io.axle.serving.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.axle.common.AxleException;
import io.axle.serving.DataType;
import io.axle.serving.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** JSON arrays (nested or flat) to {@link Tensor}s and back, for both protocols. */
final class TensorJson {
    private TensorJson() {}

    /** A nested JSON value's shape and its leaves in row-major order. */
    record Nested(long[] shape, List<JsonNode> leaves) {}

    /** The shape of a nested list ({@code [[1, 2], [3, 4]]} is {@code [2, 2]}); a ragged one is refused. */
    static Nested flatten(JsonNode node, String what) {
        List<Long> shape = new ArrayList<>();
        JsonNode probe = node;
        while (probe.isArray()) {
            shape.add((long) probe.size());
            if (probe.isEmpty()) {
                break;
            }
            probe = probe.get(0);
        }
        List<JsonNode> leaves = new ArrayList<>();
        collect(node, 0, shape, leaves, what);
        return new Nested(shape.stream().mapToLong(Long::longValue).toArray(), leaves);
    }

    private static void collect(JsonNode node, int depth, List<Long> shape, List<JsonNode> leaves, String what) {
        if (depth == shape.size()) {
            if (node.isArray() || node.isObject()) {
                throw ragged(what);
            }
            leaves.add(node);
            return;
        }
        if (!node.isArray() || node.size() != shape.get(depth)) {
            throw ragged(what);
        }
        for (JsonNode child : node) {
            collect(child, depth + 1, shape, leaves, what);
        }
    }

    private static AxleException ragged(String what) {
        return AxleException.invalidParameter(
                what + " is not a rectangular array: every list at one depth must have the same length");
    }

    /** A tensor of {@code type} from JSON leaves; a leaf of the wrong kind is refused naming {@code where} it is. */
    static Tensor tensor(String name, DataType type, long[] shape, List<JsonNode> leaves, IntFunction<String> where) {
        int count = leaves.size();
        Object data = switch (type) {
            case FP32 -> {
                float[] values = new float[count];
                for (int i = 0; i < count; i++) {
                    values[i] = (float) number(leaves.get(i), type, where, i);
                }
                yield values;
            }
            case FP64 -> {
                double[] values = new double[count];
                for (int i = 0; i < count; i++) {
                    values[i] = number(leaves.get(i), type, where, i);
                }
                yield values;
            }
            case INT32 -> {
                int[] values = new int[count];
                for (int i = 0; i < count; i++) {
                    JsonNode leaf = leaves.get(i);
                    if (!leaf.isIntegralNumber() || !leaf.canConvertToInt()) {
                        throw wrongValue(leaf, type, where, i);
                    }
                    values[i] = leaf.intValue();
                }
                yield values;
            }
            case INT64 -> {
                long[] values = new long[count];
                for (int i = 0; i < count; i++) {
                    JsonNode leaf = leaves.get(i);
                    if (!leaf.isIntegralNumber() || !leaf.canConvertToLong()) {
                        throw wrongValue(leaf, type, where, i);
                    }
                    values[i] = leaf.longValue();
                }
                yield values;
            }
            case BOOL -> {
                boolean[] values = new boolean[count];
                for (int i = 0; i < count; i++) {
                    JsonNode leaf = leaves.get(i);
                    if (!leaf.isBoolean()) {
                        throw wrongValue(leaf, type, where, i);
                    }
                    values[i] = leaf.booleanValue();
                }
                yield values;
            }
            case BYTES -> {
                byte[][] values = new byte[count][];
                for (int i = 0; i < count; i++) {
                    JsonNode leaf = leaves.get(i);
                    if (!leaf.isTextual()) {
                        throw wrongValue(leaf, type, where, i);
                    }
                    values[i] = leaf.textValue().getBytes(StandardCharsets.UTF_8);
                }
                yield values;
            }
        };
        return new Tensor(name, type, shape, data);
    }

    private static double number(JsonNode leaf, DataType type, IntFunction<String> where, int index) {
        if (!leaf.isNumber()) {
            throw wrongValue(leaf, type, where, index);
        }
        return leaf.doubleValue();
    }

    private static AxleException wrongValue(JsonNode leaf, DataType type, IntFunction<String> where, int index) {
        return AxleException.invalidParameter(where.apply(index) + " is " + leaf + ", not " + describeKind(type));
    }

    static String describeKind(DataType type) {
        return switch (type) {
            case FP32, FP64 -> type + " (number)";
            case INT32, INT64 -> type + " (integer)";
            case BOOL -> "BOOL (true or false)";
            case BYTES -> "BYTES (string)";
        };
    }

    /** Writes the tensor's values as one flat JSON array. */
    static void writeFlat(JsonGenerator json, Tensor tensor) throws IOException {
        json.writeStartArray();
        int count = java.lang.reflect.Array.getLength(tensor.data());
        for (int i = 0; i < count; i++) {
            writeElement(json, tensor, i);
        }
        json.writeEndArray();
    }

    /** Writes the tensor as nested JSON arrays, one level per dimension (a scalar for rank 0). */
    static void writeNested(JsonGenerator json, Tensor tensor) throws IOException {
        long[] shape = tensor.shape();
        if (shape.length == 0) {
            writeElement(json, tensor, 0);
            return;
        }
        writeLevel(json, tensor, shape, 0, 0);
    }

    private static int writeLevel(JsonGenerator json, Tensor tensor, long[] shape, int depth, int offset)
            throws IOException {
        json.writeStartArray();
        int next = offset;
        for (long i = 0; i < shape[depth]; i++) {
            if (depth == shape.length - 1) {
                writeElement(json, tensor, next++);
            } else {
                next = writeLevel(json, tensor, shape, depth + 1, next);
            }
        }
        json.writeEndArray();
        return next;
    }

    private static void writeElement(JsonGenerator json, Tensor tensor, int index) throws IOException {
        switch (tensor.type()) {
            case FP32 -> json.writeNumber(((float[]) tensor.data())[index]);
            case FP64 -> json.writeNumber(((double[]) tensor.data())[index]);
            case INT32 -> json.writeNumber(((int[]) tensor.data())[index]);
            case INT64 -> json.writeNumber(((long[]) tensor.data())[index]);
            case BOOL -> json.writeBoolean(((boolean[]) tensor.data())[index]);
            case BYTES -> json.writeString(new String(((byte[][]) tensor.data())[index], StandardCharsets.UTF_8));
        }
    }
}
