package io.axle.serving.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.serving.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * MLflow's scoring protocol, as {@code mlflow models serve} answers it: {@code /ping}, {@code /health},
 * {@code /version} and {@code /invocations} (JSON or CSV in, {@code {"predictions": ...}} out).
 */
final class MlflowScoringRoutes {
    private static final String CONTENT_TYPES = "['text/csv', 'application/json']";

    private final Inference inference;
    private final ObjectMapper json;
    private final String version;

    MlflowScoringRoutes(Inference inference, ObjectMapper json, String version) {
        this.inference = requireNonNull(inference, "inference is null");
        this.json = requireNonNull(json, "json is null");
        this.version = requireNonNull(version, "version is null");
    }

    void register(Router router) {
        router.add("GET", "/ping", ErrorStyle.MLFLOW, this::ping)
                .add("GET", "/health", ErrorStyle.MLFLOW, this::ping)
                .add("GET", "/version", ErrorStyle.MLFLOW, call -> Reply.text(200, "text/plain", version))
                .add("POST", "/invocations", ErrorStyle.MLFLOW, this::invocations);
    }

    /** Answered once the server runs, and the server runs only with a loaded model. */
    private Reply ping(Call call) {
        return Reply.text(200, Reply.JSON, "\n");
    }

    private Reply invocations(Call call) {
        String mediaType = call.mediaType();
        Inference.Outcome outcome = switch (mediaType) {
            case "application/json" -> {
                JsonNode root = parse(call.body());
                yield inference.run(model -> MlflowInputs.fromJson(root, model.signature()));
            }
            case "text/csv" -> {
                Csv csv = Csv.parse(new String(call.body(), StandardCharsets.UTF_8));
                yield inference.run(model -> MlflowInputs.fromCsv(csv, model.signature()));
            }
            default ->
                throw new AxleException(
                        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                        "This predictor only supports the following content types: Types: " + CONTENT_TYPES + ". Got '"
                                + call.contentTypeHeader() + "'.");
        };
        return Reply.json(200, predictions(outcome.outputs()));
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode root = json.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw MlflowInputs.badRequest(MlflowInputs.REQUIRED_FORMAT + ". Received an empty body.");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw MlflowInputs.badRequest("Invalid input. Ensure that input is a valid JSON formatted string. Error: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One output: its rows as a list; several: a dictionary of output name to rows, as MLflow writes them. */
    private byte[] predictions(Map<String, Tensor> outputs) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator generator = json.createGenerator(bytes)) {
            generator.writeStartObject();
            generator.writeFieldName("predictions");
            if (outputs.size() == 1) {
                TensorJson.writeNested(generator, outputs.values().iterator().next());
            } else {
                generator.writeStartObject();
                for (Map.Entry<String, Tensor> output : outputs.entrySet()) {
                    generator.writeFieldName(output.getKey());
                    TensorJson.writeNested(generator, output.getValue());
                }
                generator.writeEndObject();
            }
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
