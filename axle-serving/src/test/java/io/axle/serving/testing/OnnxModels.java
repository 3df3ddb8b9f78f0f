package io.axle.serving.testing;

import static java.util.Objects.requireNonNull;

import io.axle.serving.DataType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Small ONNX models written by hand for tests: the protobuf of an {@code onnx.ModelProto} is encoded here directly, so
 * tests need no downloads and no Python. Inputs and outputs whose shape has {@code -1} get the symbolic dimension
 * {@code "batch"}. {@link #writeMlflowModel} lays a model out as MLflow's {@code mlflow.onnx.save_model} does.
 */
public final class OnnxModels {
    /** The weights {@link #logistic(int)} uses: feature {@code i} weighs {@code 0.1 * (i + 1)}. */
    public static final float LOGISTIC_BIAS = -0.2f;

    private OnnxModels() {}

    /** {@code Y[batch,1] = sigmoid(X[batch,F] · W[F,1] + b)}, with {@link #logisticWeight} and {@link #LOGISTIC_BIAS}. */
    public static byte[] logistic(int features) {
        float[] weights = new float[features];
        for (int i = 0; i < features; i++) {
            weights[i] = logisticWeight(i);
        }
        return logistic(weights, LOGISTIC_BIAS);
    }

    /** {@code Y[batch,1] = sigmoid(X[batch,F] · weights + bias)}. */
    public static byte[] logistic(float[] weights, float bias) {
        int features = weights.length;
        return new Graph("logistic")
                .input("X", DataType.FP32, -1, features)
                .initializer("W", new long[] {features, 1}, weights)
                .initializer("B", new long[] {1}, new float[] {bias})
                .node("MatMul", List.of("X", "W"), List.of("XW"))
                .node("Add", List.of("XW", "B"), List.of("Z"))
                .node("Sigmoid", List.of("Z"), List.of("Y"))
                .output("Y", DataType.FP32, -1, 1)
                .build();
    }

    public static float logisticWeight(int feature) {
        return 0.1f * (feature + 1);
    }

    /** What {@link #logistic(int)} answers for one row, computed in Java. */
    public static double logisticExpected(float... row) {
        double z = LOGISTIC_BIAS;
        for (int i = 0; i < row.length; i++) {
            z += (double) logisticWeight(i) * row[i];
        }
        return 1 / (1 + Math.exp(-z));
    }

    /**
     * A heavier model for batching benchmarks: {@code layers} of {@code MatMul + Add + Relu} of {@code width} units
     * over {@code X[batch,F]}, then one unit: {@code Y[batch,1]}. Weights are deterministic.
     */
    public static byte[] mlp(int features, int width, int layers) {
        Graph graph = new Graph("mlp").input("X", DataType.FP32, -1, features);
        String previous = "X";
        int previousWidth = features;
        for (int layer = 0; layer < layers; layer++) {
            String weights = "W" + layer;
            String bias = "B" + layer;
            graph.initializer(
                            weights,
                            new long[] {previousWidth, width},
                            deterministic(previousWidth * width, layer, previousWidth))
                    .initializer(bias, new long[] {width}, deterministic(width, layer + 1000, width))
                    .node("MatMul", List.of(previous, weights), List.of("M" + layer))
                    .node("Add", List.of("M" + layer, bias), List.of("A" + layer))
                    .node("Relu", List.of("A" + layer), List.of("H" + layer));
            previous = "H" + layer;
            previousWidth = width;
        }
        return graph.initializer(
                        "WOut", new long[] {previousWidth, 1}, deterministic(previousWidth, 7777, previousWidth))
                .node("MatMul", List.of(previous, "WOut"), List.of("Y"))
                .output("Y", DataType.FP32, -1, 1)
                .build();
    }

    /** {@code output = Identity(input)} of any type, BYTES included (an ONNX {@code STRING} tensor). */
    public static byte[] identity(DataType type, long... shape) {
        return new Graph("identity_" + type.name().toLowerCase(java.util.Locale.ROOT))
                .input("input", type, shape)
                .node("Identity", List.of("input"), List.of("output"))
                .output("output", type, shape)
                .build();
    }

    /** {@code output = Cast(input, to)}: FP32, FP64, INT32, INT64 or BOOL in, {@code to} out. */
    public static byte[] cast(DataType from, DataType to, long... shape) {
        return new Graph("cast")
                .input("input", from, shape)
                .node("Cast", List.of("input"), List.of("output"), Attribute.ofInt("to", elementType(to)))
                .output("output", to, shape)
                .build();
    }

    /** Two inputs {@code a[batch,F]} and {@code b[batch,F]} (FP32), two outputs {@code sum} and {@code product}. */
    public static byte[] twoInputs(int features) {
        return new Graph("two_inputs")
                .input("a", DataType.FP32, -1, features)
                .input("b", DataType.FP32, -1, features)
                .node("Add", List.of("a", "b"), List.of("sum"))
                .node("Mul", List.of("a", "b"), List.of("product"))
                .output("sum", DataType.FP32, -1, features)
                .output("product", DataType.FP32, -1, features)
                .build();
    }

    /** Writes {@code model.onnx} and an {@code MLmodel} without a signature, as {@code mlflow.onnx.save_model} does. */
    public static Path writeMlflowModel(Path directory, byte[] onnx) {
        return writeMlflowModel(directory, onnx, "");
    }

    /**
     * Writes {@code model.onnx} and an {@code MLmodel} whose {@code signature} holds {@code inputsJson} and
     * {@code outputsJson} (MLflow's JSON strings, such as {@link #tensorSpecJson}).
     */
    public static Path writeMlflowModel(Path directory, byte[] onnx, String inputsJson, String outputsJson) {
        String signature = "signature:\n  inputs: '" + inputsJson.replace("'", "''") + "'\n  outputs: '"
                + outputsJson.replace("'", "''") + "'\n  params: null\n";
        return writeMlflowModel(directory, onnx, signature);
    }

    private static Path writeMlflowModel(Path directory, byte[] onnx, String signatureYaml) {
        try {
            Files.createDirectories(directory);
            Files.write(directory.resolve("model.onnx"), onnx);
            String mlmodel =
                    """
                    artifact_path: model
                    flavors:
                      onnx:
                        code: null
                        data: model.onnx
                        onnx_version: 1.17.0
                        providers:
                        - CUDAExecutionProvider
                        - CPUExecutionProvider
                      python_function:
                        data: model.onnx
                        env:
                          conda: conda.yaml
                          virtualenv: python_env.yaml
                        loader_module: mlflow.onnx
                        python_version: 3.11.9
                    mlflow_version: 2.19.0
                    model_size_bytes: %d
                    model_uuid: 5c1f1a0e3b5e4b6f9a51a7d0c2e8f4a1
                    run_id: 0f6a2d5c8b1e4c3a9e7d6b5a4c3b2a1f
                    """.formatted(onnx.length) + signatureYaml + "utc_time_created: '2026-01-01 00:00:00.000000'\n";
            Files.writeString(directory.resolve("MLmodel"), mlmodel);
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An {@code MLmodel} with only the {@code python_function} (and {@code sklearn}) flavor, as sklearn models have. */
    public static Path writePyfuncOnlyModel(Path directory) {
        try {
            Files.createDirectories(directory);
            Files.write(directory.resolve("model.pkl"), new byte[] {(byte) 0x80, 0x05, '.'});
            Files.writeString(directory.resolve("MLmodel"), """
                    artifact_path: model
                    flavors:
                      python_function:
                        env:
                          conda: conda.yaml
                          virtualenv: python_env.yaml
                        loader_module: mlflow.sklearn
                        model_path: model.pkl
                        predict_fn: predict
                        python_version: 3.11.9
                      sklearn:
                        code: null
                        pickled_model: model.pkl
                        serialization_format: cloudpickle
                        sklearn_version: 1.5.2
                    mlflow_version: 2.19.0
                    model_uuid: 9d2b8e7f6a5c4d3b2a1f0e9d8c7b6a5f
                    utc_time_created: '2026-01-01 00:00:00.000000'
                    """);
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One entry of an MLflow tensor-based signature: {@code {"type": "tensor", "tensor-spec": {...}, "name": ...}}. */
    public static String tensorSpecJson(String name, String numpyDtype, long... shape) {
        StringBuilder dims = new StringBuilder();
        for (long dim : shape) {
            dims.append(dims.isEmpty() ? "" : ", ").append(dim);
        }
        return "{\"type\": \"tensor\", \"tensor-spec\": {\"dtype\": \"" + numpyDtype + "\", \"shape\": [" + dims
                + "]}, \"name\": \"" + name + "\"}";
    }

    /** One entry of an MLflow column-based signature: {@code {"type": "double", "name": "x", "required": true}}. */
    public static String columnSpecJson(String name, String type) {
        return "{\"type\": \"" + type + "\", \"name\": \"" + name + "\", \"required\": true}";
    }

    /** ONNX's {@code TensorProto.DataType} number of an Axle type. */
    public static int elementType(DataType type) {
        return switch (type) {
            case FP32 -> 1;
            case INT32 -> 6;
            case INT64 -> 7;
            case BYTES -> 8;
            case BOOL -> 9;
            case FP64 -> 11;
        };
    }

    private static float[] deterministic(int count, int seed, int fanIn) {
        float[] values = new float[count];
        float scale = (float) (1 / Math.sqrt(fanIn));
        for (int i = 0; i < count; i++) {
            values[i] = (float) Math.sin(seed * 7919.0 + i * 0.618) * scale;
        }
        return values;
    }

    /** An ONNX node attribute: an int ({@code to} of Cast, {@code transB} of Gemm) or a float ({@code alpha}). */
    public record Attribute(String name, long intValue, float floatValue, boolean isFloat) {
        public Attribute {
            requireNonNull(name, "name is null");
        }

        public static Attribute ofInt(String name, long value) {
            return new Attribute(name, value, 0, false);
        }

        public static Attribute ofFloat(String name, float value) {
            return new Attribute(name, 0, value, true);
        }
    }

    /** A graph under construction; {@link #build()} encodes the whole {@code ModelProto} (IR 8, default opset 17). */
    public static final class Graph {
        private final String name;
        private final List<byte[]> nodes = new ArrayList<>();
        private final List<byte[]> initializers = new ArrayList<>();
        private final List<byte[]> inputs = new ArrayList<>();
        private final List<byte[]> outputs = new ArrayList<>();
        private int opset = 17;

        public Graph(String name) {
            this.name = requireNonNull(name, "name is null");
        }

        public Graph opset(int version) {
            this.opset = version;
            return this;
        }

        /** A graph input; {@code -1} in {@code shape} is the symbolic dimension {@code "batch"}. */
        public Graph input(String tensorName, DataType type, long... shape) {
            inputs.add(valueInfo(tensorName, elementType(type), shape));
            return this;
        }

        public Graph output(String tensorName, DataType type, long... shape) {
            outputs.add(valueInfo(tensorName, elementType(type), shape));
            return this;
        }

        /** A float constant, stored as {@code raw_data} (little-endian). */
        public Graph initializer(String tensorName, long[] dims, float[] values) {
            ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float value : values) {
                raw.putFloat(value);
            }
            return initializer(tensorName, dims, elementType(DataType.FP32), raw.array());
        }

        /** A constant of any fixed-size type given as little-endian {@code raw_data}. */
        public Graph initializer(String tensorName, long[] dims, int elementType, byte[] rawData) {
            Proto tensor = new Proto();
            for (long dim : dims) {
                tensor.varint(1, dim);
            }
            tensor.varint(2, elementType).string(8, tensorName).bytes(9, rawData);
            initializers.add(tensor.toByteArray());
            return this;
        }

        public Graph node(String opType, List<String> nodeInputs, List<String> nodeOutputs, Attribute... attributes) {
            Proto node = new Proto();
            nodeInputs.forEach(input -> node.string(1, input));
            nodeOutputs.forEach(output -> node.string(2, output));
            node.string(3, opType + "_" + nodes.size()).string(4, opType);
            for (Attribute attribute : attributes) {
                Proto encoded = new Proto().string(1, attribute.name());
                if (attribute.isFloat()) {
                    encoded.fixed32(2, Float.floatToIntBits(attribute.floatValue()))
                            .varint(20, 1);
                } else {
                    encoded.varint(3, attribute.intValue()).varint(20, 2);
                }
                node.message(5, encoded.toByteArray());
            }
            nodes.add(node.toByteArray());
            return this;
        }

        public byte[] build() {
            Proto graph = new Proto();
            nodes.forEach(node -> graph.message(1, node));
            graph.string(2, name);
            initializers.forEach(initializer -> graph.message(5, initializer));
            inputs.forEach(input -> graph.message(11, input));
            outputs.forEach(output -> graph.message(12, output));
            Proto opsetImport = new Proto().string(1, "").varint(2, opset);
            return new Proto()
                    .varint(1, 8)
                    .string(2, "axle-tests")
                    .message(7, graph.toByteArray())
                    .message(8, opsetImport.toByteArray())
                    .toByteArray();
        }

        private static byte[] valueInfo(String tensorName, int elementType, long[] shape) {
            Proto dims = new Proto();
            for (long dim : shape) {
                Proto dimension = new Proto();
                if (dim < 0) {
                    dimension.string(2, "batch");
                } else {
                    dimension.varint(1, dim);
                }
                dims.message(1, dimension.toByteArray());
            }
            Proto tensorType = new Proto().varint(1, elementType).message(2, dims.toByteArray());
            Proto type = new Proto().message(1, tensorType.toByteArray());
            return new Proto()
                    .string(1, tensorName)
                    .message(2, type.toByteArray())
                    .toByteArray();
        }
    }

    /** The protobuf wire format, just the parts ONNX models need: varints, fixed32 and length-delimited fields. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long value) {
            tag(field, 0);
            rawVarint(value);
            return this;
        }

        Proto fixed32(int field, int value) {
            tag(field, 5);
            for (int i = 0; i < 4; i++) {
                out.write((value >>> (8 * i)) & 0xff);
            }
            return this;
        }

        Proto string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, byte[] encoded) {
            return bytes(field, encoded);
        }

        Proto bytes(int field, byte[] value) {
            tag(field, 2);
            rawVarint(value.length);
            out.writeBytes(value);
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }

        private void tag(int field, int wireType) {
            rawVarint(((long) field << 3) | wireType);
        }

        private void rawVarint(long value) {
            long remaining = value;
            while ((remaining & ~0x7FL) != 0) {
                out.write((int) ((remaining & 0x7F) | 0x80));
                remaining >>>= 7;
            }
            out.write((int) remaining);
        }
    }
}
