package io.axle.serving.model;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an MLflow {@code MLmodel} file says that serving needs: its flavors, where the {@code onnx} flavor keeps the
 * model, and the signature.
 *
 * @param flavors the flavor names in file order ({@code onnx}, {@code python_function}, ...)
 * @param onnxData the {@code onnx} flavor's {@code data} file, relative to the directory, when it has that flavor
 */
public record MlModel(List<String> flavors, Optional<String> onnxData, Optional<MlflowSignature> signature) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public MlModel {
        flavors = List.copyOf(flavors);
        requireNonNull(onnxData, "onnxData is null");
        requireNonNull(signature, "signature is null");
    }

    public boolean hasFlavor(String flavor) {
        return flavors.contains(flavor);
    }

    /** Reads {@code directory/MLmodel}; a directory without one is not an MLflow model. */
    public static MlModel read(Path directory) {
        Path file = directory.resolve("MLmodel");
        if (!Files.isRegularFile(file)) {
            throw AxleException.invalidParameter(
                    "'" + directory + "' is not an MLflow model directory: it has no"
                            + " MLmodel file (save the model with mlflow.onnx.save_model or log it with mlflow.onnx.log_model)");
        }
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new AxleException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses the text of an {@code MLmodel} file. */
    public static MlModel parse(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw AxleException.invalidParameter("MLmodel is not valid YAML: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw AxleException.invalidParameter("MLmodel is not a YAML mapping");
        }
        JsonNode flavorsNode = root.path("flavors");
        if (!flavorsNode.isObject() || flavorsNode.isEmpty()) {
            throw AxleException.invalidParameter("MLmodel lists no flavors");
        }
        List<String> flavors = new ArrayList<>();
        flavorsNode.fieldNames().forEachRemaining(flavors::add);
        Optional<String> onnxData = Optional.empty();
        if (flavorsNode.has("onnx")) {
            JsonNode data = flavorsNode.path("onnx").path("data");
            onnxData = Optional.of(data.isTextual() ? data.asText() : "model.onnx");
        }
        return new MlModel(flavors, onnxData, signature(root.path("signature")));
    }

    private static Optional<MlflowSignature> signature(JsonNode node) {
        if (!node.isObject() || !node.path("inputs").isTextual()) {
            return Optional.empty();
        }
        JsonNode outputs = node.path("outputs");
        JsonNode params = node.path("params");
        return Optional.of(MlflowSignature.parse(
                node.path("inputs").asText(),
                outputs.isTextual() ? outputs.asText() : "[]",
                params.isTextual()
                        && !params.asText().isBlank()
                        && !params.asText().equals("null")));
    }
}
