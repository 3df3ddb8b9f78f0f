package io.axle.serving.http;

import static io.axle.serving.http.RunningServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.serving.DataType;
import io.axle.serving.Device;
import io.axle.serving.LoadOptions;
import io.axle.serving.Predictor;
import io.axle.serving.model.ModelLoader;
import io.axle.serving.testing.OnnxModels;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenInferenceProtocolTest {
    @TempDir
    Path temp;

    private RunningServer logistic;

    @BeforeEach
    void start() {
        Path directory = OnnxModels.writeMlflowModel(temp.resolve("dir"), OnnxModels.logistic(2));
        LoadOptions options =
                new LoadOptions(Optional.of("churn"), Optional.of("3"), Device.cpu(), OptionalLong.empty(), 0);
        logistic =
                RunningServer.serving(ModelLoader.load(directory, options), Predictor::direct, Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        logistic.close();
    }

    @Test
    void serverMetadataNamesTheServer() {
        HttpResponse<String> response = logistic.get("/v2");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("name").asText()).isEqualTo("axle");
        assertThat(body.path("version").isTextual()).isTrue();
        assertThat(body.path("extensions").isArray()).isTrue();
    }

    @Test
    void theServerAndTheModelAreLiveAndReady() {
        assertThat(logistic.get("/v2/health/live").statusCode()).isEqualTo(200);
        assertThat(logistic.get("/v2/health/ready").statusCode()).isEqualTo(200);
        assertThat(logistic.get("/v2/models/churn/ready").statusCode()).isEqualTo(200);
        assertThat(logistic.get("/v2/models/churn/versions/3/ready").statusCode())
                .isEqualTo(200);
    }

    @Test
    void modelMetadataListsTheInputsAndOutputs() {
        for (String path : new String[] {"/v2/models/churn", "/v2/models/churn/versions/3"}) {
            HttpResponse<String> response = logistic.get(path);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json(response).toString())
                    .isEqualTo("{\"name\":\"churn\",\"versions\":[\"3\"],\"platform\":\"onnxruntime\","
                            + "\"inputs\":[{\"name\":\"X\",\"datatype\":\"FP32\",\"shape\":[-1,2]}],"
                            + "\"outputs\":[{\"name\":\"Y\",\"datatype\":\"FP32\",\"shape\":[-1,1]}]}");
        }
    }

    @Test
    void anUnknownModelOrVersionIs404() {
        for (String path : new String[] {
            "/v2/models/fraud",
            "/v2/models/churn/versions/4",
            "/v2/models/fraud/ready",
            "/v2/models/churn/versions/4/ready"
        }) {
            HttpResponse<String> response = logistic.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(json(response).path("error").asText()).as(path).isNotBlank();
        }
        HttpResponse<String> infer = logistic.postJson("/v2/models/fraud/infer", inferBody("FP32", "[1, 2]", "[1, 1]"));
        assertThat(infer.statusCode()).isEqualTo(404);
        assertThat(json(infer).path("error").asText())
                .isEqualTo("model 'fraud' is not served here; this server serves 'churn'");
    }

    @Test
    void inferAnswersTheOutputsWithTheRequestId() {
        HttpResponse<String> response = logistic.postJson("/v2/models/churn/infer", """
                {"id": "req-7", "parameters": {"priority": 1}, "inputs": [{"name": "X", "shape": [2, 2],
                 "datatype": "FP32", "parameters": {}, "data": [1, 2, 0, 0]}]}""");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("model_name").asText()).isEqualTo("churn");
        assertThat(body.path("model_version").asText()).isEqualTo("3");
        assertThat(body.path("id").asText()).isEqualTo("req-7");
        JsonNode output = body.path("outputs").get(0);
        assertThat(output.path("name").asText()).isEqualTo("Y");
        assertThat(output.path("datatype").asText()).isEqualTo("FP32");
        assertThat(output.path("shape").toString()).isEqualTo("[2,1]");
        assertThat(output.path("data").get(0).asDouble()).isCloseTo(OnnxModels.logisticExpected(1, 2), within(1e-6));
        assertThat(output.path("data").get(1).asDouble()).isCloseTo(OnnxModels.logisticExpected(0, 0), within(1e-6));
    }

    @Test
    void nestedDataAndTheVersionedPathAreAccepted() {
        HttpResponse<String> response =
                logistic.postJson("/v2/models/churn/versions/3/infer", inferBody("FP32", "[2, 2]", "[[1, 2], [0, 0]]"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("outputs").get(0).path("data").size()).isEqualTo(2);
    }

    @Test
    void everyDatatypeRoundTrips() {
        record Case(DataType type, String data, String expected) {}
        Case[] cases = {
            new Case(DataType.FP32, "[1.5, -2.25]", "[1.5,-2.25]"),
            new Case(DataType.FP64, "[0.1, 1e300]", "[0.1,1.0E300]"),
            new Case(DataType.INT32, "[2147483647, -5]", "[2147483647,-5]"),
            new Case(DataType.INT64, "[9223372036854775807, -1]", "[9223372036854775807,-1]"),
            new Case(DataType.BOOL, "[true, false]", "[true,false]"),
            new Case(DataType.BYTES, "[\"héllo\", \"\"]", "[\"héllo\",\"\"]"),
        };
        for (Case c : cases) {
            Path directory =
                    OnnxModels.writeMlflowModel(temp.resolve(c.type().name()), OnnxModels.identity(c.type(), -1, 2));
            try (RunningServer server = RunningServer.serving(directory)) {
                String name = c.type().name();
                HttpResponse<String> response =
                        server.postJson("/v2/models/" + name + "/infer", """
                        {"inputs": [{"name": "input", "shape": [1, 2], "datatype": "%s", "data": %s}]}""".formatted(name, c.data()));

                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                JsonNode output = json(response).path("outputs").get(0);
                assertThat(output.path("datatype").asText()).isEqualTo(name);
                assertThat(output.path("shape").toString()).isEqualTo("[1,2]");
                assertThat(output.path("data").toString()).as(name).isEqualTo(c.expected());
                assertThat(json(response).has("model_version")).isFalse();
            }
        }
    }

    @Test
    void requestedOutputsAreTheOnlyOnesAnswered() {
        try (RunningServer two =
                RunningServer.serving(OnnxModels.writeMlflowModel(temp.resolve("two"), OnnxModels.twoInputs(1)))) {
            HttpResponse<String> response = two.postJson("/v2/models/two/infer", """
                    {"inputs": [{"name": "a", "shape": [1, 1], "datatype": "FP32", "data": [3]},
                                {"name": "b", "shape": [1, 1], "datatype": "FP32", "data": [4]}],
                     "outputs": [{"name": "product"}]}""");
            HttpResponse<String> unknown = two.postJson("/v2/models/two/infer", """
                    {"inputs": [{"name": "a", "shape": [1, 1], "datatype": "FP32", "data": [3]},
                                {"name": "b", "shape": [1, 1], "datatype": "FP32", "data": [4]}],
                     "outputs": [{"name": "quotient"}]}""");

            assertThat(json(response).path("outputs").toString())
                    .isEqualTo("[{\"name\":\"product\",\"datatype\":\"FP32\",\"shape\":[1,1],\"data\":[12.0]}]");
            assertOipError(unknown, 400, "unknown output 'quotient': the model gives [sum, product]");
        }
    }

    @Test
    void aDatatypeTheModelDoesNotTakeNamesTheTensorAndWhatItExpects() {
        assertOipError(
                logistic.postJson("/v2/models/churn/infer", inferBody("FP64", "[1, 2]", "[1, 1]")),
                400,
                "input tensor 'X' expects FP32 [-1, 2], got FP64 [1, 2]");
    }

    @Test
    void aShapeTheModelDoesNotTakeNamesTheTensorAndWhatItExpects() {
        assertOipError(
                logistic.postJson("/v2/models/churn/infer", inferBody("FP32", "[1, 3]", "[1, 1, 1]")),
                400,
                "input tensor 'X' expects FP32 [-1, 2], got FP32 [1, 3]");
    }

    @Test
    void anUnsupportedDatatypeIsRefused() {
        assertOipError(
                logistic.postJson("/v2/models/churn/infer", inferBody("FP16", "[1, 2]", "[1, 1]")),
                400,
                "input 'X' has datatype 'FP16'; Axle serves FP32, FP64, INT32, INT64, BOOL and BYTES");
    }

    @Test
    void dataThatDoesNotFillTheShapeIsRefused() {
        assertOipError(
                logistic.postJson("/v2/models/churn/infer", inferBody("FP32", "[2, 2]", "[1, 1, 1]")),
                400,
                "input 'X' has shape [2, 2] (4 elements) but 3 data values");
    }

    @Test
    void aValueOfTheWrongKindIsRefusedNamingTheElement() {
        assertOipError(
                logistic.postJson("/v2/models/churn/infer", inferBody("FP32", "[1, 2]", "[1, \"a\"]")),
                400,
                "element 1 of input 'X' (FP32) is \"a\", not FP32 (number)");
        assertOipError(
                logistic.postJson("/v2/models/churn/infer", inferBody("INT32", "[1, 2]", "[1, 2147483648]")),
                400,
                "element 1 of input 'X' (INT32) is 2147483648, not INT32 (integer)");
        assertOipError(
                logistic.postJson("/v2/models/churn/infer", inferBody("BOOL", "[1, 2]", "[true, 1]")),
                400,
                "element 1 of input 'X' (BOOL) is 1, not BOOL (true or false)");
    }

    @Test
    void aMissingOrUnknownInputIsRefused() {
        assertOipError(
                logistic.postJson("/v2/models/churn/infer", "{\"inputs\": []}"),
                400,
                "an inference request needs 'inputs': a list of tensors, each {\"name\", \"shape\", \"datatype\","
                        + " \"data\"}");
        HttpResponse<String> unknown = logistic.postJson("/v2/models/churn/infer", """
                {"inputs": [{"name": "Z", "shape": [1, 2], "datatype": "FP32", "data": [1, 1]}]}""");
        assertOipError(unknown, 400, "unknown input tensor 'Z'; the model takes 'X' (FP32 [-1, 2])");
        HttpResponse<String> noShape = logistic.postJson("/v2/models/churn/infer", """
                {"inputs": [{"name": "X", "datatype": "FP32", "data": [1, 1]}]}""");
        assertOipError(noShape, 400, "input 'X' needs a 'shape': a list of dimensions");
        HttpResponse<String> negative =
                logistic.postJson("/v2/models/churn/infer", inferBody("FP32", "[-1, 2]", "[1, 1]"));
        assertOipError(negative, 400, "input 'X' has shape [-1,2]; dimensions are integers of 0 or more");
    }

    @Test
    void invalidJsonIsRefusedAsAnError() {
        HttpResponse<String> response = logistic.postJson("/v2/models/churn/infer", "{\"inputs\": [");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").asText()).startsWith("the request body is not valid JSON");
    }

    @Test
    void aWrongMethodIs405AndAnUnknownPathIs404() {
        HttpResponse<String> get = logistic.get("/v2/models/churn/infer");
        HttpResponse<String> unknown = logistic.get("/v2/repository/index");

        assertOipError(get, 405, "method GET is not allowed on /v2/models/churn/infer");
        assertOipError(unknown, 404, "no endpoint /v2/repository/index");
    }

    private static String inferBody(String datatype, String shape, String data) {
        return "{\"inputs\": [{\"name\": \"X\", \"shape\": " + shape + ", \"datatype\": \"" + datatype
                + "\", \"data\": " + data + "}]}";
    }

    private static void assertOipError(HttpResponse<String> response, int status, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(json(response).path("error").asText()).isEqualTo(message);
        assertThat(json(response).size()).isEqualTo(1);
    }
}
