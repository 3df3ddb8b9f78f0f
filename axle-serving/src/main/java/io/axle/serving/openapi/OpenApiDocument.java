package io.axle.serving.openapi;

import static io.axle.serving.openapi.SignatureSchemas.object;
import static io.axle.serving.openapi.SignatureSchemas.properties;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.serving.DataType;
import io.axle.serving.ModelSignature;
import io.axle.serving.TensorSpec;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * The OpenAPI 3.1 document of a served model: both protocols, with schemas from its signature, so that a client can be
 * generated from {@code GET /openapi.json} in one command.
 */
public final class OpenApiDocument {
    /** The routes the document describes, as templates; the server answers each. */
    public static final List<String> PATHS = List.of(
            "/invocations",
            "/ping",
            "/health",
            "/v2",
            "/v2/health/live",
            "/v2/health/ready",
            "/v2/models/{name}",
            "/v2/models/{name}/ready",
            "/v2/models/{name}/infer",
            "/v2/models/{name}/versions/{version}",
            "/v2/models/{name}/versions/{version}/ready",
            "/v2/models/{name}/versions/{version}/infer",
            "/openapi.json",
            "/metrics");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String SCHEMAS = "#/components/schemas/";
    private static final String MLFLOW = "MLflow scoring";
    private static final String OIP = "Open Inference Protocol v2";
    private static final String OPERATIONS = "Operations";

    private OpenApiDocument() {}

    /** The document as JSON text. */
    public static String render(String modelName, Optional<String> version, ModelSignature signature) {
        requireNonNull(modelName, "modelName is null");
        requireNonNull(version, "version is null");
        requireNonNull(signature, "signature is null");
        try {
            return JSON.writeValueAsString(document(modelName, version, signature));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode document(String modelName, Optional<String> version, ModelSignature signature) {
        ObjectNode document = NODES.objectNode();
        document.put("openapi", "3.1.0");
        document.put("jsonSchemaDialect", "https://spec.openapis.org/oas/3.1/dialect/base");
        document.putObject("info")
                .put("title", modelName)
                .put("version", version.orElse("unversioned"))
                .put(
                        "description",
                        "Model '" + modelName + "' served by Axle: MLflow's scoring protocol (/invocations) and the"
                                + " Open Inference Protocol v2 (/v2/...) on one port.\n\nInputs: "
                                + describeAll(signature.inputs()) + "\n\nOutputs: "
                                + describeAll(signature.outputs()));
        ArrayNode tags = document.putArray("tags");
        tags.addObject().put("name", MLFLOW).put("description", "MLflow's /invocations, as mlflow models serve has it");
        tags.addObject().put("name", OIP).put("description", "KServe's and Triton's REST inference protocol");
        tags.addObject().put("name", OPERATIONS).put("description", "The document itself and Prometheus metrics");
        document.set("paths", paths(modelName, version));
        ObjectNode components = document.putObject("components");
        components.set("schemas", schemas(modelName, version, signature));
        components.set("parameters", parameters(modelName, version));
        return document;
    }

    private static ObjectNode paths(String modelName, Optional<String> version) {
        ObjectNode paths = NODES.objectNode();
        ObjectNode invocations = operation(
                MLFLOW, "invocations", "Score rows: a dataframe (split or records), instances, inputs, or a CSV");
        ObjectNode body = invocations.putObject("requestBody").put("required", true);
        ObjectNode content = body.putObject("content");
        content.putObject("application/json").set("schema", ref("MlflowRequest"));
        content.putObject("text/csv")
                .putObject("schema")
                .put("type", "string")
                .put("description", "A CSV file whose header row names the columns, as dataframe_split would");
        ObjectNode invocationResponses = invocations.putObject("responses");
        invocationResponses.set("200", json("The model's predictions", "MlflowPredictions"));
        errorResponses(invocationResponses, "MlflowError", true);
        paths.putObject("/invocations").set("post", invocations);

        paths.putObject("/ping").set("get", plain(MLFLOW, "ping", "200 while the model is loaded"));
        paths.putObject("/health").set("get", plain(MLFLOW, "health", "200 while the model is loaded"));

        paths.putObject("/v2").set("get", getJson(OIP, "serverMetadata", "Server metadata", "ServerMetadata"));
        paths.putObject("/v2/health/live")
                .set("get", getJson(OIP, "serverLive", "Whether the server is live", "ServerLive"));
        ObjectNode serverReady = getJson(OIP, "serverReady", "Whether the server is ready", "ServerReady");
        ((ObjectNode) serverReady.get("responses"))
                .set("503", json("Not ready (loading or shutting down)", "OipError"));
        paths.putObject("/v2/health/ready").set("get", serverReady);

        modelRoutes(paths, "/v2/models/{name}", "", List.of("ModelName"));
        modelRoutes(paths, "/v2/models/{name}/versions/{version}", "Version", List.of("ModelName", "ModelVersion"));

        ObjectNode openapi = operation(OPERATIONS, "openapi", "This document");
        openapi.putObject("responses")
                .putObject("200")
                .put("description", "OpenAPI 3.1")
                .putObject("content")
                .putObject("application/json")
                .putObject("schema")
                .put("type", "object");
        paths.putObject("/openapi.json").set("get", openapi);
        ObjectNode metrics = operation(OPERATIONS, "metrics", "Prometheus metrics, text format 0.0.4");
        metrics.putObject("responses")
                .putObject("200")
                .put("description", "The exposition")
                .putObject("content")
                .putObject("text/plain; version=0.0.4")
                .putObject("schema")
                .put("type", "string");
        paths.putObject("/metrics").set("get", metrics);
        return paths;
    }

    private static void modelRoutes(ObjectNode paths, String prefix, String suffix, List<String> parameters) {
        ObjectNode metadata = getJson(OIP, "modelMetadata" + suffix, "The model's inputs and outputs", "ModelMetadata");
        ((ObjectNode) metadata.get("responses")).set("404", json("No such model or version", "OipError"));
        paths.putObject(prefix).set("get", withParameters(metadata, parameters));

        ObjectNode ready = getJson(OIP, "modelReady" + suffix, "Whether the model is ready", "ModelReady");
        ((ObjectNode) ready.get("responses")).set("404", json("No such model or version", "OipError"));
        paths.putObject(prefix + "/ready").set("get", withParameters(ready, parameters));

        ObjectNode infer = operation(OIP, "modelInfer" + suffix, "Run the model on named tensors");
        infer.putObject("requestBody")
                .put("required", true)
                .putObject("content")
                .putObject("application/json")
                .set("schema", ref("InferenceRequest"));
        ObjectNode responses = infer.putObject("responses");
        responses.set("200", json("The outputs", "InferenceResponse"));
        errorResponses(responses, "OipError", false);
        responses.set("404", json("No such model or version", "OipError"));
        paths.putObject(prefix + "/infer").set("post", withParameters(infer, parameters));
    }

    private static void errorResponses(ObjectNode responses, String schema, boolean mediaTypes) {
        responses.set("400", json("The request does not fit the model's signature", schema));
        if (mediaTypes) {
            responses.set("415", json("Neither application/json nor text/csv", schema));
        }
        ObjectNode busy = json("The queue is full; retry after the Retry-After header's seconds", schema);
        busy.putObject("headers")
                .putObject("Retry-After")
                .put("description", "Seconds to wait before retrying")
                .putObject("schema")
                .put("type", "integer");
        responses.set("429", busy);
        responses.set("503", json("Shutting down or not loaded", schema));
        responses.set("504", json("No answer within the request timeout", schema));
    }

    private static ObjectNode schemas(String modelName, Optional<String> version, ModelSignature signature) {
        SignatureSchemas tensors = new SignatureSchemas(signature);
        ObjectNode schemas = NODES.objectNode();
        ObjectNode request = NODES.objectNode();
        request.set(
                "oneOf",
                NODES.arrayNode()
                        .add(ref("DataframeSplit"))
                        .add(ref("DataframeRecords"))
                        .add(ref("Instances"))
                        .add(ref("Inputs")));
        schemas.set("MlflowRequest", request);
        schemas.set("DataframeSplit", tensors.dataframeSplit());
        schemas.set("DataframeRecords", tensors.dataframeRecords());
        schemas.set("Instances", tensors.instances());
        schemas.set("Inputs", tensors.inputs());
        schemas.set("MlflowPredictions", tensors.predictions());
        ObjectNode mlflowError = object();
        properties(mlflowError).set("error_code", errorCodes());
        properties(mlflowError).putObject("message").put("type", "string");
        mlflowError.set("required", NODES.arrayNode().add("error_code").add("message"));
        schemas.set("MlflowError", mlflowError);

        schemas.set("Datatype", datatype());
        schemas.set("Parameters", object().put("description", "Free-form parameters"));
        ObjectNode tensorData = NODES.objectNode()
                .put("type", "array")
                .put("description", "The tensor's values, row-major: flat, or nested as its shape");
        tensorData
                .putObject("items")
                .set(
                        "anyOf",
                        NODES.arrayNode()
                                .add(NODES.objectNode().put("type", "number"))
                                .add(NODES.objectNode().put("type", "string"))
                                .add(NODES.objectNode().put("type", "boolean"))
                                .add(ref("TensorData")));
        schemas.set("TensorData", tensorData);
        schemas.set("RequestInput", tensor(signature.inputs(), "An input tensor"));
        ObjectNode requestOutput = object();
        properties(requestOutput).set("name", names(signature.outputs()));
        properties(requestOutput).set("parameters", ref("Parameters"));
        requestOutput.set("required", NODES.arrayNode().add("name"));
        schemas.set("RequestOutput", requestOutput);
        ObjectNode inferenceRequest = object();
        properties(inferenceRequest).putObject("id").put("type", "string");
        properties(inferenceRequest).set("parameters", ref("Parameters"));
        properties(inferenceRequest).set("inputs", arrayOf(ref("RequestInput")).put("minItems", 1));
        properties(inferenceRequest).set("outputs", arrayOf(ref("RequestOutput")));
        inferenceRequest.set("required", NODES.arrayNode().add("inputs"));
        schemas.set("InferenceRequest", inferenceRequest);
        schemas.set("ResponseOutput", tensor(signature.outputs(), "An output tensor"));
        ObjectNode inferenceResponse = object();
        properties(inferenceResponse)
                .putObject("model_name")
                .put("type", "string")
                .set("examples", NODES.arrayNode().add(modelName));
        properties(inferenceResponse).putObject("model_version").put("type", "string");
        properties(inferenceResponse).putObject("id").put("type", "string");
        properties(inferenceResponse).set("parameters", ref("Parameters"));
        properties(inferenceResponse).set("outputs", arrayOf(ref("ResponseOutput")));
        inferenceResponse.set("required", NODES.arrayNode().add("model_name").add("outputs"));
        schemas.set("InferenceResponse", inferenceResponse);

        ObjectNode metadataTensor = object();
        properties(metadataTensor).putObject("name").put("type", "string");
        properties(metadataTensor).set("datatype", ref("Datatype"));
        properties(metadataTensor)
                .set("shape", arrayOf(NODES.objectNode().put("type", "integer").put("minimum", -1)));
        metadataTensor.set(
                "required", NODES.arrayNode().add("name").add("datatype").add("shape"));
        schemas.set("MetadataTensor", metadataTensor);
        ObjectNode modelMetadata = object();
        properties(modelMetadata).putObject("name").put("type", "string");
        properties(modelMetadata).set("versions", arrayOf(NODES.objectNode().put("type", "string")));
        properties(modelMetadata).putObject("platform").put("type", "string");
        properties(modelMetadata).set("inputs", arrayOf(ref("MetadataTensor")));
        properties(modelMetadata).set("outputs", arrayOf(ref("MetadataTensor")));
        modelMetadata.set(
                "required",
                NODES.arrayNode().add("name").add("platform").add("inputs").add("outputs"));
        modelMetadata.putArray("examples").add(metadataExample(modelName, version, signature));
        schemas.set("ModelMetadata", modelMetadata);
        ObjectNode serverMetadata = object();
        properties(serverMetadata).putObject("name").put("type", "string");
        properties(serverMetadata).putObject("version").put("type", "string");
        properties(serverMetadata).set("extensions", arrayOf(NODES.objectNode().put("type", "string")));
        serverMetadata.set(
                "required", NODES.arrayNode().add("name").add("version").add("extensions"));
        schemas.set("ServerMetadata", serverMetadata);
        schemas.set("ServerLive", flag("live"));
        schemas.set("ServerReady", flag("ready"));
        ObjectNode modelReady = flag("ready");
        properties(modelReady).putObject("name").put("type", "string");
        modelReady.set("required", NODES.arrayNode().add("name").add("ready"));
        schemas.set("ModelReady", modelReady);
        ObjectNode oipError = object();
        properties(oipError).putObject("error").put("type", "string");
        oipError.set("required", NODES.arrayNode().add("error"));
        schemas.set("OipError", oipError);
        return schemas;
    }

    // a v2 tensor whose name is one of the signature's and whose description gives each one's type and shape
    private static ObjectNode tensor(List<TensorSpec> specs, String what) {
        ObjectNode tensor = object().put("description", what + ". " + describeAll(specs));
        properties(tensor).set("name", names(specs));
        properties(tensor)
                .set("shape", arrayOf(NODES.objectNode().put("type", "integer").put("minimum", 0)));
        properties(tensor).set("datatype", ref("Datatype"));
        properties(tensor).set("parameters", ref("Parameters"));
        properties(tensor).set("data", ref("TensorData"));
        tensor.set(
                "required",
                NODES.arrayNode().add("name").add("shape").add("datatype").add("data"));
        return tensor;
    }

    private static ObjectNode names(List<TensorSpec> specs) {
        ArrayNode names = NODES.arrayNode();
        specs.forEach(spec -> names.add(spec.name()));
        ObjectNode schema = NODES.objectNode().put("type", "string");
        schema.set("enum", names);
        return schema;
    }

    private static ObjectNode datatype() {
        ArrayNode names = NODES.arrayNode();
        for (DataType type : DataType.values()) {
            names.add(type.oipName());
        }
        ObjectNode schema = NODES.objectNode().put("type", "string");
        schema.set("enum", names);
        return schema;
    }

    private static ObjectNode errorCodes() {
        return NODES.objectNode()
                .put("type", "string")
                .put("description", "MLflow's error code, INVALID_PARAMETER_VALUE or REQUEST_LIMIT_EXCEEDED say");
    }

    private static ObjectNode metadataExample(String modelName, Optional<String> version, ModelSignature signature) {
        ObjectNode example = NODES.objectNode().put("name", modelName);
        ArrayNode versions = example.putArray("versions");
        version.ifPresent(versions::add);
        example.put("platform", "onnxruntime");
        example.set("inputs", metadataTensors(signature.inputs()));
        example.set("outputs", metadataTensors(signature.outputs()));
        return example;
    }

    private static ArrayNode metadataTensors(List<TensorSpec> specs) {
        ArrayNode tensors = NODES.arrayNode();
        for (TensorSpec spec : specs) {
            ObjectNode tensor = tensors.addObject()
                    .put("name", spec.name())
                    .put("datatype", spec.type().oipName());
            ArrayNode shape = tensor.putArray("shape");
            for (long dim : spec.shape()) {
                shape.add(dim);
            }
        }
        return tensors;
    }

    private static ObjectNode parameters(String modelName, Optional<String> version) {
        ObjectNode parameters = NODES.objectNode();
        ObjectNode name = parameters
                .putObject("ModelName")
                .put("name", "name")
                .put("in", "path")
                .put("required", true);
        name.putObject("schema").put("type", "string");
        name.put("example", modelName);
        ObjectNode modelVersion = parameters
                .putObject("ModelVersion")
                .put("name", "version")
                .put("in", "path")
                .put("required", true);
        modelVersion.putObject("schema").put("type", "string");
        modelVersion.put("example", version.orElse("1"));
        return parameters;
    }

    private static String describeAll(List<TensorSpec> specs) {
        return String.join("; ", specs.stream().map(SignatureSchemas::describe).toList());
    }

    private static ObjectNode flag(String name) {
        ObjectNode schema = object();
        properties(schema).putObject(name).put("type", "boolean");
        schema.set("required", NODES.arrayNode().add(name));
        return schema;
    }

    private static ObjectNode operation(String tag, String operationId, String summary) {
        ObjectNode operation = NODES.objectNode();
        operation.putArray("tags").add(tag);
        operation.put("operationId", operationId).put("summary", summary);
        return operation;
    }

    private static ObjectNode getJson(String tag, String operationId, String summary, String schema) {
        ObjectNode operation = operation(tag, operationId, summary);
        operation.putObject("responses").set("200", json(summary, schema));
        return operation;
    }

    private static ObjectNode plain(String tag, String operationId, String summary) {
        ObjectNode operation = operation(tag, operationId, summary);
        operation.putObject("responses").putObject("200").put("description", "Loaded");
        return operation;
    }

    private static ObjectNode withParameters(ObjectNode operation, List<String> parameters) {
        ArrayNode refs = operation.putArray("parameters");
        parameters.forEach(parameter -> refs.addObject().put("$ref", "#/components/parameters/" + parameter));
        return operation;
    }

    private static ObjectNode json(String description, String schema) {
        ObjectNode response = NODES.objectNode().put("description", description);
        response.putObject("content").putObject("application/json").set("schema", ref(schema));
        return response;
    }

    private static ObjectNode arrayOf(ObjectNode items) {
        ObjectNode array = NODES.objectNode().put("type", "array");
        array.set("items", items);
        return array;
    }

    private static ObjectNode ref(String schema) {
        return NODES.objectNode().put("$ref", SCHEMAS + schema);
    }
}
