package io.axle.server.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.server.db.Dialect;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.ApiClient.Response;
import io.axle.server.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the HTTP API answers to bad requests: always a 4xx with MLflow's {@code {"error_code", "message"}} body
 * naming the problem, never a 500; and a refused log-batch leaves nothing behind.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Dialect.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class HttpApiErrorTest {
    private static final String UNKNOWN_RUN = "0123456789abcdef0123456789abcdef";
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    static Path temporaryDirectory;

    @Parameter
    Dialect dialect;

    private TestServer server;
    private ApiClient api;
    private String experimentId;
    private String runId;

    @BeforeParameterizedClassInvocation
    void startServer() {
        server = TestServer.start(dialect, temporaryDirectory.resolve(dialect.name()));
        api = server.client();
        experimentId = createExperiment();
        runId = createRun();
    }

    @AfterParameterizedClassInvocation
    void stopServer() {
        server.close();
    }

    /** A request that must be refused: the body may name the shared run as RUN_ID. */
    record BadRequest(String path, String body, int status, String errorCode, String mentions) {
        @Override
        public String toString() {
            return path + " " + (body.length() > 80 ? body.substring(0, 80) + "..." : body);
        }
    }

    static Stream<BadRequest> malformedOrMistypedBodies() {
        return Stream.of(
                // not JSON, or not an object
                new BadRequest("experiments/create", "{\"name\": ", 400, "MALFORMED_REQUEST", "JSON"),
                new BadRequest("experiments/create", "{name: 'x'}", 400, "MALFORMED_REQUEST", "JSON"),
                new BadRequest("experiments/create", "[{\"name\": \"x\"}]", 400, "MALFORMED_REQUEST", "object"),
                new BadRequest("experiments/create", "\"x\"", 400, "MALFORMED_REQUEST", "object"),
                new BadRequest("experiments/create", "{\"name\": \"a\"} trailing", 400, "MALFORMED_REQUEST", "JSON"),
                // string fields
                new BadRequest("experiments/create", "{\"name\": 42}", 400, "INVALID_PARAMETER_VALUE", "name"),
                new BadRequest("experiments/create", "{\"name\": [\"x\"]}", 400, "INVALID_PARAMETER_VALUE", "name"),
                new BadRequest("experiments/create", "{\"name\": {}}", 400, "INVALID_PARAMETER_VALUE", "name"),
                new BadRequest(
                        "runs/log-parameter",
                        "{\"run_id\": \"RUN_ID\", \"key\": \"k\", \"value\": true}",
                        400,
                        "INVALID_PARAMETER_VALUE",
                        "value"),
                // int64 fields
                new BadRequest(
                        "runs/create",
                        "{\"experiment_id\": \"0\", \"start_time\": \"yesterday\"}",
                        400,
                        "INVALID_PARAMETER_VALUE",
                        "start_time"),
                new BadRequest(
                        "runs/create",
                        "{\"experiment_id\": \"0\", \"start_time\": 1.5}",
                        400,
                        "INVALID_PARAMETER_VALUE",
                        "start_time"),
                new BadRequest(
                        "runs/log-metric",
                        "{\"run_id\": \"RUN_ID\", \"key\": \"m\", \"value\": 1, \"timestamp\": 1e40}",
                        400,
                        "INVALID_PARAMETER_VALUE",
                        "timestamp"),
                new BadRequest(
                        "runs/log-metric",
                        "{\"run_id\": \"RUN_ID\", \"key\": \"m\", \"value\": 1, \"timestamp\": 1, \"step\": [1]}",
                        400,
                        "INVALID_PARAMETER_VALUE",
                        "step"),
                // double fields
                new BadRequest(
                        "runs/log-metric",
                        "{\"run_id\": \"RUN_ID\", \"key\": \"m\", \"value\": \"high\", \"timestamp\": 1}",
                        400,
                        "INVALID_PARAMETER_VALUE",
                        "value"),
                new BadRequest(
                        "runs/log-metric",
                        "{\"run_id\": \"RUN_ID\", \"key\": \"m\", \"value\": {}, \"timestamp\": 1}",
                        400,
                        "INVALID_PARAMETER_VALUE",
                        "value"),
                // list and message fields
                new BadRequest(
                        "runs/log-batch",
                        "{\"run_id\": \"RUN_ID\", \"metrics\": {\"key\": \"m\"}}",
                        400,
                        "INVALID_PARAMETER_VALUE",
                        "metrics"),
                new BadRequest(
                        "runs/log-batch",
                        "{\"run_id\": \"RUN_ID\", \"params\": [\"k=v\"]}",
                        400,
                        "INVALID_PARAMETER_VALUE",
                        "params[0]"),
                new BadRequest(
                        "runs/log-batch",
                        "{\"run_id\": \"RUN_ID\", \"tags\": [{\"key\": \"k\", \"value\": 7}]}",
                        400,
                        "INVALID_PARAMETER_VALUE",
                        "tags[0].value"),
                new BadRequest(
                        "runs/search",
                        "{\"experiment_ids\": {\"id\": \"0\"}}",
                        400,
                        "INVALID_PARAMETER_VALUE",
                        "experiment_ids"),
                new BadRequest(
                        "runs/search",
                        "{\"experiment_ids\": [\"0\"], \"max_results\": \"many\"}",
                        400,
                        "INVALID_PARAMETER_VALUE",
                        "max_results"),
                new BadRequest(
                        "runs/search",
                        "{\"experiment_ids\": [\"0\"], \"run_view_type\": \"SOME\"}",
                        400,
                        "INVALID_PARAMETER_VALUE",
                        "SOME"),
                new BadRequest(
                        "runs/update",
                        "{\"run_id\": \"RUN_ID\", \"status\": \"SLEEPING\"}",
                        400,
                        "INVALID_PARAMETER_VALUE",
                        "SLEEPING"),
                // missing required fields
                new BadRequest("experiments/create", "{}", 400, "INVALID_PARAMETER_VALUE", "name"),
                new BadRequest("experiments/create", "", 400, "INVALID_PARAMETER_VALUE", "name"),
                new BadRequest("experiments/create", "{\"name\": null}", 400, "INVALID_PARAMETER_VALUE", "name"),
                new BadRequest("experiments/delete", "{}", 400, "INVALID_PARAMETER_VALUE", "experiment_id"),
                new BadRequest("runs/delete", "{}", 400, "INVALID_PARAMETER_VALUE", "run_id"),
                new BadRequest(
                        "runs/log-metric",
                        "{\"run_id\": \"RUN_ID\", \"value\": 1, \"timestamp\": 1}",
                        400,
                        "INVALID_PARAMETER_VALUE",
                        "key"),
                new BadRequest(
                        "runs/log-metric",
                        "{\"run_id\": \"RUN_ID\", \"key\": \"m\", \"timestamp\": 1}",
                        400,
                        "INVALID_PARAMETER_VALUE",
                        "value"),
                new BadRequest(
                        "runs/log-metric",
                        "{\"run_id\": \"RUN_ID\", \"key\": \"m\", \"value\": 1}",
                        400,
                        "INVALID_PARAMETER_VALUE",
                        "timestamp"),
                new BadRequest("runs/log-parameter", "{\"run_id\": \"RUN_ID\"}", 400, "INVALID_PARAMETER_VALUE", "key"),
                new BadRequest("runs/log-batch", "{\"metrics\": []}", 400, "INVALID_PARAMETER_VALUE", "run_id"),
                new BadRequest(
                        "runs/log-batch",
                        "{\"run_id\": \"RUN_ID\", \"metrics\": [{\"key\": \"m\", \"value\": 1}]}",
                        400,
                        "INVALID_PARAMETER_VALUE",
                        "metrics[0].timestamp"),
                new BadRequest("runs/set-tag", "{\"run_id\": \"RUN_ID\"}", 400, "INVALID_PARAMETER_VALUE", "key"),
                new BadRequest(
                        "experiments/set-experiment-tag",
                        "{\"key\": \"k\", \"value\": \"v\"}",
                        400,
                        "INVALID_PARAMETER_VALUE",
                        "experiment_id"),
                // unknown ids
                new BadRequest(
                        "runs/log-metric",
                        "{\"run_id\": \"" + UNKNOWN_RUN + "\", \"key\": \"m\", \"value\": 1, \"timestamp\": 1}",
                        404,
                        "RESOURCE_DOES_NOT_EXIST",
                        UNKNOWN_RUN),
                new BadRequest(
                        "runs/log-batch",
                        "{\"run_id\": \"" + UNKNOWN_RUN + "\", \"params\": [{\"key\": \"k\", \"value\": \"v\"}]}",
                        404,
                        "RESOURCE_DOES_NOT_EXIST",
                        UNKNOWN_RUN),
                new BadRequest(
                        "runs/update",
                        "{\"run_id\": \"" + UNKNOWN_RUN + "\", \"status\": \"FINISHED\"}",
                        404,
                        "RESOURCE_DOES_NOT_EXIST",
                        UNKNOWN_RUN),
                new BadRequest(
                        "runs/delete",
                        "{\"run_id\": \"" + UNKNOWN_RUN + "\"}",
                        404,
                        "RESOURCE_DOES_NOT_EXIST",
                        UNKNOWN_RUN),
                new BadRequest(
                        "runs/create", "{\"experiment_id\": \"987654\"}", 404, "RESOURCE_DOES_NOT_EXIST", "987654"),
                new BadRequest(
                        "experiments/delete",
                        "{\"experiment_id\": \"987654\"}",
                        404,
                        "RESOURCE_DOES_NOT_EXIST",
                        "987654"),
                new BadRequest(
                        "experiments/update",
                        "{\"experiment_id\": \"987654\", \"new_name\": \"x\"}",
                        404,
                        "RESOURCE_DOES_NOT_EXIST",
                        "987654"),
                // experiment ids that are not numbers
                new BadRequest("runs/create", "{\"experiment_id\": \"abc\"}", 400, "INVALID_PARAMETER_VALUE", "abc"),
                new BadRequest(
                        "experiments/delete", "{\"experiment_id\": \"abc\"}", 400, "INVALID_PARAMETER_VALUE", "abc"),
                new BadRequest(
                        "runs/search", "{\"experiment_ids\": [\"0\", \"abc\"]}", 400, "INVALID_PARAMETER_VALUE", "abc"),
                new BadRequest(
                        "experiments/set-experiment-tag",
                        "{\"experiment_id\": \"1e3\", \"key\": \"k\", \"value\": \"v\"}",
                        400,
                        "INVALID_PARAMETER_VALUE",
                        "1e3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedOrMistypedBodies")
    void aBadRequestBodyIsA4xxNamingTheProblem(BadRequest request) {
        Response response = api.post(request.path(), request.body().replace("RUN_ID", runId));

        assertMlflowError(response, request.status(), request.errorCode(), request.mentions());
    }

    @Test
    void requestBodiesThatAreNotUtf8AreMalformed() {
        byte[] body = concat(
                "{\"name\": \"".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF},
                "\"}".getBytes(StandardCharsets.UTF_8));

        Response response = api.send(HttpRequest.newBuilder(api.uri("/api/2.0/mlflow/experiments/create"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());

        assertMlflowError(response, 400, "MALFORMED_REQUEST", "UTF-8");
    }

    @Test
    void aBodyOverOneMegabyteIsA413() {
        String body = "{\"name\": \"" + "x".repeat(1024 * 1024) + "\"}";

        Response response = api.post("experiments/create", body);

        assertMlflowError(response, 413, "REQUEST_TOO_LARGE", "1048576");
    }

    @Test
    void aStreamedBodyWithoutALengthIsCutOffAtOneMegabyte() {
        byte[] body = ("{\"name\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);

        Response response = api.send(HttpRequest.newBuilder(api.uri("/api/2.0/mlflow/experiments/create"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build());

        assertMlflowError(response, 413, "REQUEST_TOO_LARGE", "1048576");
    }

    @Test
    void anUnknownEndpointIsA404EndpointNotFound() {
        assertMlflowError(api.get("experiments/list-all"), 404, "ENDPOINT_NOT_FOUND", "experiments/list-all");
        assertMlflowError(api.post("runs/teleport", "{}"), 404, "ENDPOINT_NOT_FOUND", "runs/teleport");
        assertMlflowError(api.get("/ajax-api/2.0/mlflow/nothing-here"), 404, "ENDPOINT_NOT_FOUND", "nothing-here");
    }

    @Test
    void aWrongMethodIsA405MethodNotAllowed() {
        assertMlflowError(api.get("runs/create"), 405, "METHOD_NOT_ALLOWED", "GET");
        assertMlflowError(
                api.send(HttpRequest.newBuilder(api.uri("/api/2.0/mlflow/experiments/create"))
                        .DELETE()
                        .build()),
                405,
                "METHOD_NOT_ALLOWED",
                "DELETE");
        assertMlflowError(
                api.send(HttpRequest.newBuilder(api.uri("/api/2.0/mlflow/runs/get"))
                        .PUT(HttpRequest.BodyPublishers.ofString("{}"))
                        .build()),
                405,
                "METHOD_NOT_ALLOWED",
                "PUT");
    }

    @Test
    void unknownRunsAndExperimentsAreA404ResourceDoesNotExist() {
        assertMlflowError(api.get("runs/get?run_id=" + UNKNOWN_RUN), 404, "RESOURCE_DOES_NOT_EXIST", UNKNOWN_RUN);
        assertMlflowError(
                api.get("metrics/get-history?run_id=" + UNKNOWN_RUN + "&metric_key=loss"),
                404,
                "RESOURCE_DOES_NOT_EXIST",
                UNKNOWN_RUN);
        assertMlflowError(api.get("experiments/get?experiment_id=987654"), 404, "RESOURCE_DOES_NOT_EXIST", "987654");
        assertMlflowError(
                api.get("experiments/get-by-name?experiment_name=no-such-experiment"),
                404,
                "RESOURCE_DOES_NOT_EXIST",
                "no-such-experiment");
    }

    @Test
    void aNonNumericExperimentIdIsA400InvalidParameterValue() {
        assertMlflowError(api.get("experiments/get?experiment_id=abc"), 400, "INVALID_PARAMETER_VALUE", "abc");
        assertMlflowError(
                api.get("experiments/get?experiment_id=99999999999999999999999"),
                400,
                "INVALID_PARAMETER_VALUE",
                "99999999999999999999999");
    }

    @Test
    void aParamLoggedTwiceWithTheSameValueIsAcceptedAndWithAnotherRefused() {
        String run = createRun();
        Map<String, String> first = Map.of("run_id", run, "key", "lr", "value", "0.1");

        assertThat(api.post("runs/log-parameter", first).status()).isEqualTo(200);
        assertThat(api.post("runs/log-parameter", first).status()).isEqualTo(200);
        assertThat(api.post(
                                "runs/log-batch",
                                Map.of("run_id", run, "params", List.of(Map.of("key", "lr", "value", "0.1"))))
                        .status())
                .isEqualTo(200);
        assertMlflowError(
                api.post("runs/log-parameter", Map.of("run_id", run, "key", "lr", "value", "0.2")),
                400,
                "INVALID_PARAMETER_VALUE",
                "lr");
        assertThat(params(run)).containsExactly(Map.entry("lr", "0.1"));
    }

    @Test
    void aBatchThatChangesAParamLeavesNothingBehind() {
        String run = createRun();
        assertThat(api.post("runs/log-parameter", Map.of("run_id", run, "key", "lr", "value", "0.1"))
                        .status())
                .isEqualTo(200);

        Response response = api.post(
                "runs/log-batch",
                Map.of(
                        "run_id",
                        run,
                        "metrics",
                        List.of(metric("loss", 1)),
                        "params",
                        List.of(Map.of("key", "epochs", "value", "3"), Map.of("key", "lr", "value", "0.2")),
                        "tags",
                        List.of(Map.of("key", "note", "value", "x"))));

        assertMlflowError(response, 400, "INVALID_PARAMETER_VALUE", "lr");
        assertThat(params(run)).containsExactly(Map.entry("lr", "0.1"));
        assertThat(metricKeys(run)).isEmpty();
        assertThat(userTags(run)).isEmpty();
    }

    @Test
    void aBatchWithTwoValuesForOneParamIsRefused() {
        String run = createRun();

        Response response = api.post(
                "runs/log-batch",
                Map.of(
                        "run_id",
                        run,
                        "params",
                        List.of(Map.of("key", "lr", "value", "0.1"), Map.of("key", "lr", "value", "0.2"))));

        assertMlflowError(response, 400, "INVALID_PARAMETER_VALUE", "lr");
        assertThat(params(run)).isEmpty();
    }

    /** A batch of valid entries and one that breaks a limit; the whole batch must be refused. */
    record OverLimit(String description, Function<String, Map<String, Object>> body, String mentions) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<OverLimit> batchesOverALimit() {
        return Stream.of(
                new OverLimit("1001 metrics", run -> batch(run, metrics(1001), List.of(), List.of()), "1000"),
                new OverLimit(
                        "101 params",
                        run -> batch(
                                run,
                                metrics(1),
                                IntStream.range(0, 101)
                                        .mapToObj(i -> Map.of("key", "p" + i, "value", "v"))
                                        .toList(),
                                List.of()),
                        "100"),
                new OverLimit(
                        "101 tags",
                        run -> batch(
                                run,
                                metrics(1),
                                List.of(),
                                IntStream.range(0, 101)
                                        .mapToObj(i -> Map.of("key", "t" + i, "value", "v"))
                                        .toList()),
                        "100"),
                new OverLimit(
                        "900 metrics, 100 params and 100 tags",
                        run -> batch(
                                run,
                                metrics(900),
                                IntStream.range(0, 100)
                                        .mapToObj(i -> Map.of("key", "p" + i, "value", "v"))
                                        .toList(),
                                IntStream.range(0, 100)
                                        .mapToObj(i -> Map.of("key", "t" + i, "value", "v"))
                                        .toList()),
                        "1000"),
                new OverLimit(
                        "a metric key of 251 characters",
                        run -> batch(run, List.of(metric("ok", 1), metric("k".repeat(251), 1)), List.of(), List.of()),
                        "250"),
                new OverLimit(
                        "a param key of 251 characters",
                        run -> batch(run, metrics(2), List.of(Map.of("key", "p".repeat(251), "value", "v")), List.of()),
                        "250"),
                new OverLimit(
                        "a param value of 6001 characters",
                        run -> batch(
                                run, metrics(2), List.of(Map.of("key", "big", "value", "v".repeat(6001))), List.of()),
                        "6000"),
                new OverLimit(
                        "a tag value of 8001 characters",
                        run -> batch(
                                run, metrics(2), List.of(), List.of(Map.of("key", "big", "value", "v".repeat(8001)))),
                        "8000"),
                new OverLimit(
                        "a metric key with a bad character",
                        run -> batch(run, List.of(metric("ok", 1), metric("loss*2", 1)), List.of(), List.of()),
                        "loss*2"),
                new OverLimit(
                        "a param key with a semicolon",
                        run -> batch(run, metrics(1), List.of(Map.of("key", "a;b", "value", "v")), List.of()),
                        "a;b"),
                new OverLimit(
                        "a tag key climbing out with ../",
                        run -> batch(run, metrics(1), List.of(), List.of(Map.of("key", "../secrets", "value", "v"))),
                        "../secrets"),
                new OverLimit(
                        "a metric key with an inner ../",
                        run -> batch(run, List.of(metric("ok", 1), metric("a/../b", 1)), List.of(), List.of()),
                        "a/../b"),
                new OverLimit(
                        "an empty param key",
                        run -> batch(run, metrics(1), List.of(Map.of("key", "", "value", "v")), List.of()),
                        "key"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batchesOverALimit")
    void aBatchOverALimitIsRefusedWhole(OverLimit batch) {
        String run = createRun();

        Response response = api.post("runs/log-batch", batch.body().apply(run));

        assertMlflowError(response, 400, "INVALID_PARAMETER_VALUE", batch.mentions());
        assertThat(metricKeys(run)).isEmpty();
        assertThat(params(run)).isEmpty();
        assertThat(userTags(run)).isEmpty();
    }

    @Test
    void singleValuesOverTheLimitsAreRefused() {
        String run = createRun();

        assertMlflowError(
                api.post("runs/log-parameter", Map.of("run_id", run, "key", "p", "value", "v".repeat(6001))),
                400,
                "INVALID_PARAMETER_VALUE",
                "6000");
        assertMlflowError(
                api.post("runs/set-tag", Map.of("run_id", run, "key", "t", "value", "v".repeat(8001))),
                400,
                "INVALID_PARAMETER_VALUE",
                "8000");
        assertMlflowError(
                api.post(
                        "runs/log-metric", Map.of("run_id", run, "key", "m".repeat(251), "value", 1, "timestamp", NOW)),
                400,
                "INVALID_PARAMETER_VALUE",
                "250");
        assertMlflowError(
                api.post("experiments/create", Map.of("name", "e".repeat(257))), 400, "INVALID_PARAMETER_VALUE", "256");
        assertThat(params(run)).isEmpty();
        assertThat(metricKeys(run)).isEmpty();
        assertThat(userTags(run)).isEmpty();
    }

    @Test
    void loggingToADeletedRunIsRefusedAndLeavesNothingBehind() {
        String run = createRun();
        assertThat(api.post("runs/delete", Map.of("run_id", run)).status()).isEqualTo(200);

        assertMlflowError(
                api.post("runs/log-metric", Map.of("run_id", run, "key", "m", "value", 1, "timestamp", NOW)),
                400,
                "INVALID_PARAMETER_VALUE",
                "deleted");
        assertMlflowError(
                api.post(
                        "runs/log-batch", batch(run, metrics(3), List.of(Map.of("key", "p", "value", "v")), List.of())),
                400,
                "INVALID_PARAMETER_VALUE",
                "deleted");
        assertMlflowError(
                api.post("runs/set-tag", Map.of("run_id", run, "key", "t", "value", "v")),
                400,
                "INVALID_PARAMETER_VALUE",
                "deleted");
        assertThat(metricKeys(run)).isEmpty();
        assertThat(params(run)).isEmpty();
        assertThat(userTags(run)).isEmpty();
    }

    @Test
    void creatingARunInADeletedExperimentIsRefused() {
        String experiment = createExperiment();
        assertThat(api.post("experiments/delete", Map.of("experiment_id", experiment))
                        .status())
                .isEqualTo(200);

        assertMlflowError(
                api.post("runs/create", Map.of("experiment_id", experiment)),
                400,
                "INVALID_PARAMETER_VALUE",
                "deleted");
    }

    @Test
    void refusedRequestsLeaveTheSharedRunUsable() {
        Response response =
                api.post("runs/log-metric", Map.of("run_id", runId, "key", "after", "value", 1, "timestamp", NOW));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    // helpers

    private static void assertMlflowError(Response response, int status, String errorCode, String mentions) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        JsonNode body = response.json();
        assertThat(body.path("error_code").asText()).as(response.body()).isEqualTo(errorCode);
        assertThat(body.path("message").asText()).as(response.body()).contains(mentions);
    }

    private String createExperiment() {
        Response response = api.post("experiments/create", Map.of("name", "errors-" + UUID.randomUUID()));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().path("experiment_id").asText();
    }

    private String createRun() {
        Response response = api.post("runs/create", Map.of("experiment_id", experimentId));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().path("run").path("info").path("run_id").asText();
    }

    private JsonNode runData(String run) {
        Response response = api.get("runs/get?run_id=" + run);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().path("run").path("data");
    }

    private Map<String, String> params(String run) {
        return entries(runData(run).path("params"));
    }

    private List<String> metricKeys(String run) {
        return List.copyOf(entries(runData(run).path("metrics")).keySet());
    }

    /** The run's tags apart from those MLflow sets itself. */
    private Map<String, String> userTags(String run) {
        Map<String, String> tags = new TreeMap<>(entries(runData(run).path("tags")));
        tags.keySet().removeIf(key -> key.startsWith("mlflow."));
        return tags;
    }

    private static Map<String, String> entries(JsonNode list) {
        Map<String, String> result = new TreeMap<>();
        list.forEach(entry ->
                result.put(entry.path("key").asText(), entry.path("value").asText()));
        return result;
    }

    private static Map<String, Object> batch(
            String run,
            List<Map<String, Object>> metrics,
            List<Map<String, String>> params,
            List<Map<String, String>> tags) {
        return Map.of("run_id", run, "metrics", metrics, "params", params, "tags", tags);
    }

    private static List<Map<String, Object>> metrics(int count) {
        List<Map<String, Object>> metrics = new ArrayList<>(count);
        for (int step = 0; step < count; step++) {
            metrics.add(Map.of("key", "loss", "value", 1.0 / (step + 1), "timestamp", NOW + step, "step", step));
        }
        return metrics;
    }

    private static Map<String, Object> metric(String key, double value) {
        return Map.of("key", key, "value", value, "timestamp", NOW, "step", 0);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
