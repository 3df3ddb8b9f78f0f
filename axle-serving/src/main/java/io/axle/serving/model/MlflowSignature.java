package io.axle.serving.model;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.common.AxleException;
import io.axle.serving.DataType;
import io.axle.serving.ModelSignature;
import io.axle.serving.TensorSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An MLmodel {@code signature}: tensor-based ({@code {"type": "tensor", "tensor-spec": {"dtype": "float32", "shape":
 * [-1, 4]}}}) or column-based ({@code {"type": "double", "name": "x"}}, each column a tensor of shape {@code [-1]}).
 * An unnamed tensor gets the name {@code ""}.
 */
public record MlflowSignature(Kind kind, ModelSignature signature, boolean hasParams) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Kind {
        TENSOR,
        COLUMN
    }

    public MlflowSignature {
        requireNonNull(kind, "kind is null");
        requireNonNull(signature, "signature is null");
    }

    /** Parses the {@code inputs} and {@code outputs} JSON strings of an MLmodel signature. */
    public static MlflowSignature parse(String inputsJson, String outputsJson, boolean hasParams) {
        List<JsonNode> inputs = entries(inputsJson, "inputs");
        Kind kind = !inputs.isEmpty() && inputs.getFirst().path("type").asText().equals("tensor")
                ? Kind.TENSOR
                : Kind.COLUMN;
        return new MlflowSignature(
                kind, new ModelSignature(specs(inputs), specs(entries(outputsJson, "outputs"))), hasParams);
    }

    private static List<JsonNode> entries(String json, String what) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || node.isNull()) {
                return List.of();
            }
            if (!node.isArray()) {
                throw AxleException.invalidParameter("MLmodel signature " + what + " is not a JSON list: " + json);
            }
            List<JsonNode> entries = new ArrayList<>();
            node.forEach(entries::add);
            return entries;
        } catch (IOException e) {
            throw AxleException.invalidParameter("MLmodel signature " + what + " is not JSON: " + e.getMessage());
        }
    }

    private static List<TensorSpec> specs(List<JsonNode> entries) {
        List<TensorSpec> specs = new ArrayList<>();
        for (JsonNode entry : entries) {
            String name = entry.path("name").isTextual() ? entry.path("name").asText() : "";
            String type = entry.path("type").asText();
            if (type.equals("tensor")) {
                JsonNode tensorSpec = entry.path("tensor-spec");
                JsonNode shapeNode = tensorSpec.path("shape");
                long[] shape = new long[shapeNode.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shapeNode.get(i).asLong();
                }
                specs.add(
                        new TensorSpec(name, numpyType(tensorSpec.path("dtype").asText(), name), shape));
            } else {
                specs.add(new TensorSpec(name, columnType(type, name), new long[] {-1}));
            }
        }
        return specs;
    }

    /** The numpy dtypes of tensor-based signatures. */
    static DataType numpyType(String dtype, String name) {
        return switch (dtype.toLowerCase(Locale.ROOT)) {
            case "float32" -> DataType.FP32;
            case "float64", "double" -> DataType.FP64;
            case "int32" -> DataType.INT32;
            case "int64" -> DataType.INT64;
            case "bool" -> DataType.BOOL;
            case "str", "object", "bytes", "string" -> DataType.BYTES;
            default ->
                throw AxleException.invalidParameter(
                        "signature tensor '" + name + "' has dtype '" + dtype + "', which Axle does not serve");
        };
    }

    /** MLflow's column types ({@code mlflow.types.DataType}). */
    static DataType columnType(String type, String name) {
        return switch (type) {
            case "double" -> DataType.FP64;
            case "float" -> DataType.FP32;
            case "integer" -> DataType.INT32;
            case "long" -> DataType.INT64;
            case "boolean" -> DataType.BOOL;
            case "string", "binary" -> DataType.BYTES;
            default ->
                throw AxleException.invalidParameter(
                        "signature column '" + name + "' has type '" + type + "', which Axle does not serve");
        };
    }
}
