package io.axle.serving.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.common.AxleException;
import io.axle.serving.DataType;
import io.axle.serving.Model;
import io.axle.serving.Tensor;
import io.axle.serving.TensorSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Open Inference Protocol v2 (KServe, Triton) over REST: server and model health and metadata, and
 * {@code infer} with FP32, FP64, INT32, INT64, BOOL and BYTES tensors in JSON. Errors are {@code {"error": "..."}}.
 */
final class InferenceProtocolRoutes {
    private static final String MODEL = "/v2/models/{name}";
    private static final String VERSIONED = "/v2/models/{name}/versions/{version}";

    private final Inference inference;
    private final ObjectMapper json;
    private final String serverVersion;

    InferenceProtocolRoutes(Inference inference, ObjectMapper json, String serverVersion) {
        this.inference = requireNonNull(inference, "inference is null");
        this.json = requireNonNull(json, "json is null");
        this.serverVersion = requireNonNull(serverVersion, "serverVersion is null");
    }

    void register(Router router) {
        ErrorStyle style = ErrorStyle.OPEN_INFERENCE;
        router.add("GET", "/v2", style, this::serverMetadata)
                .add("GET", "/v2/health/live", style, call -> Reply.empty(200))
                .add("GET", "/v2/health/ready", style, call -> Reply.empty(200))
                .add("GET", MODEL, style, this::modelMetadata)
                .add("GET", VERSIONED, style, this::modelMetadata)
                .add("GET", MODEL + "/ready", style, this::modelReady)
                .add("GET", VERSIONED + "/ready", style, this::modelReady)
                .add("POST", MODEL + "/infer", style, this::infer)
                .add("POST", VERSIONED + "/infer", style, this::infer);
    }

    private Reply serverMetadata(Call call) {
        return write(generator -> {
            generator.writeStartObject();
            generator.writeStringField("name", "axle");
            generator.writeStringField("version", serverVersion);
            generator.writeArrayFieldStart("extensions");
            generator.writeEndArray();
            generator.writeEndObject();
        });
    }

    private Reply modelMetadata(Call call) {
        Model model = served(inference.model(), call);
        return write(generator -> {
            generator.writeStartObject();
            generator.writeStringField("name", model.name());
            generator.writeArrayFieldStart("versions");
            if (model.version().isPresent()) {
                generator.writeString(model.version().get());
            }
            generator.writeEndArray();
            generator.writeStringField("platform", model.platform());
            writeSpecs(generator, "inputs", model.signature().inputs());
            writeSpecs(generator, "outputs", model.signature().outputs());
            generator.writeEndObject();
        });
    }

    private Reply modelReady(Call call) {
        served(inference.model(), call);
        return Reply.empty(200);
    }

    private Reply infer(Call call) {
        JsonNode request = parse(call.body());
        List<String> requested = requestedOutputs(request);
        Inference.Outcome outcome = inference.run(model -> inputs(served(model, call), request));
        Model model = outcome.model();
        for (String name : requested) {
            if (!outcome.outputs().containsKey(name)) {
                throw AxleException.invalidParameter("unknown output '" + name + "': the model gives "
                        + outcome.outputs().keySet());
            }
        }
        return write(generator -> {
            generator.writeStartObject();
            generator.writeStringField("model_name", model.name());
            if (model.version().isPresent()) {
                generator.writeStringField("model_version", model.version().get());
            }
            if (request.path("id").isTextual()) {
                generator.writeStringField("id", request.get("id").textValue());
            }
            generator.writeArrayFieldStart("outputs");
            for (Tensor output : outcome.outputs().values()) {
                if (requested.isEmpty() || requested.contains(output.name())) {
                    writeOutput(generator, output);
                }
            }
            generator.writeEndArray();
            generator.writeEndObject();
        });
    }

    /** The model, if the path names it (and its version, when the path has one); else 404. */
    private static Model served(Model model, Call call) {
        String name = call.pathParameter("name");
        if (!name.equals(model.name())) {
            throw AxleException.notFound(
                    "model '" + name + "' is not served here; this server serves '" + model.name() + "'");
        }
        Optional<String> version = call.optionalPathParameter("version");
        if (version.isPresent() && !version.equals(model.version())) {
            throw AxleException.notFound("model '" + name + "' has no version '" + version.get() + "' here; "
                    + model.version()
                            .map(v -> "it serves version '" + v + "'")
                            .orElse("it is served without a version"));
        }
        return model;
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode root = json.readTree(body);
            if (root == null || !root.isObject()) {
                throw AxleException.invalidParameter("an inference request is a JSON object with 'inputs'");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw AxleException.invalidParameter("the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> requestedOutputs(JsonNode request) {
        JsonNode outputs = request.path("outputs");
        if (outputs.isMissingNode() || outputs.isNull()) {
            return List.of();
        }
        if (!outputs.isArray()) {
            throw AxleException.invalidParameter("'outputs' must be a list of {\"name\": ...} objects");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode output : outputs) {
            if (!output.path("name").isTextual()) {
                throw AxleException.invalidParameter("every requested output needs a 'name', not " + output);
            }
            names.add(output.get("name").textValue());
        }
        return names;
    }

    private static Map<String, Tensor> inputs(Model model, JsonNode request) {
        JsonNode inputs = request.path("inputs");
        if (!inputs.isArray() || inputs.isEmpty()) {
            throw AxleException.invalidParameter("an inference request needs 'inputs': a list of tensors, each"
                    + " {\"name\", \"shape\", \"datatype\", \"data\"}");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (JsonNode input : inputs) {
            Tensor tensor = tensor(input);
            if (tensors.put(tensor.name(), tensor) != null) {
                throw AxleException.invalidParameter("input '" + tensor.name() + "' is given twice");
            }
        }
        return tensors;
    }

    private static Tensor tensor(JsonNode input) {
        if (!input.path("name").isTextual()) {
            throw AxleException.invalidParameter("every input needs a 'name', not " + input);
        }
        String name = input.get("name").textValue();
        String datatype = input.path("datatype").asText("");
        DataType type = DataType.fromOipName(datatype)
                .orElseThrow(() -> AxleException.invalidParameter("input '" + name + "' has datatype '" + datatype
                        + "'; Axle serves FP32, FP64, INT32, INT64, BOOL and BYTES"));
        JsonNode shapeNode = input.path("shape");
        if (!shapeNode.isArray()) {
            throw AxleException.invalidParameter("input '" + name + "' needs a 'shape': a list of dimensions");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode dim = shapeNode.get(i);
            if (!dim.isIntegralNumber() || dim.longValue() < 0) {
                throw AxleException.invalidParameter(
                        "input '" + name + "' has shape " + shapeNode + "; dimensions are integers of 0 or more");
            }
            shape[i] = dim.longValue();
        }
        if (!input.has("data")) {
            throw AxleException.invalidParameter("input '" + name + "' has no 'data'");
        }
        TensorJson.Nested nested = TensorJson.flatten(input.get("data"), "the data of input '" + name + "'");
        long expected = Tensor.elementCount(shape);
        if (nested.leaves().size() != expected) {
            throw AxleException.invalidParameter("input '" + name + "' has shape " + Arrays.toString(shape) + " ("
                    + expected + " elements) but " + nested.leaves().size() + " data values");
        }
        return TensorJson.tensor(
                name,
                type,
                shape,
                nested.leaves(),
                element -> "element " + element + " of input '" + name + "' (" + type + ")");
    }

    private static void writeSpecs(JsonGenerator generator, String field, List<TensorSpec> specs) throws IOException {
        generator.writeArrayFieldStart(field);
        for (TensorSpec spec : specs) {
            generator.writeStartObject();
            generator.writeStringField("name", spec.name());
            generator.writeStringField("datatype", spec.type().oipName());
            generator.writeFieldName("shape");
            generator.writeArray(spec.shape(), 0, spec.shape().length);
            generator.writeEndObject();
        }
        generator.writeEndArray();
    }

    private static void writeOutput(JsonGenerator generator, Tensor output) throws IOException {
        generator.writeStartObject();
        generator.writeStringField("name", output.name());
        generator.writeStringField("datatype", output.type().oipName());
        generator.writeFieldName("shape");
        generator.writeArray(output.shape(), 0, output.shape().length);
        generator.writeFieldName("data");
        TensorJson.writeFlat(generator, output);
        generator.writeEndObject();
    }

    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator generator) throws IOException;
    }

    private Reply write(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator generator = json.createGenerator(bytes)) {
            body.write(generator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Reply.json(200, bytes.toByteArray());
    }
}
