package io.axle.server.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.server.db.Dialect;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.ApiClient.Response;
import io.axle.server.testing.TestServer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The tracking API's behaviour over HTTP, on H2 and on PostgreSQL. */
@ParameterizedClass
@EnumSource(Dialect.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrackingApiTest {
    private static final AtomicInteger NAMES = new AtomicInteger();

    @Parameter
    Dialect dialect;

    private TestServer server;
    private ApiClient api;

    @BeforeParameterizedClassInvocation
    void start() throws java.io.IOException {
        server = TestServer.start(dialect, Files.createTempDirectory("axle-tracking-test"));
        api = server.client();
    }

    @AfterParameterizedClassInvocation
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theDefaultExperimentExistsWithIdZero() {
        JsonNode experiment = ok(api.get("experiments/get?experiment_id=0")).path("experiment");
        assertThat(experiment.path("name").asText()).isEqualTo("Default");
        assertThat(experiment.path("artifact_location").asText()).isEqualTo("mlflow-artifacts:/0");
        assertThat(experiment.path("lifecycle_stage").asText()).isEqualTo("active");
    }

    @Test
    void createsAnExperimentWithTagsAndAServedArtifactLocation() {
        String name = uniqueName("exp");
        String id = createExperiment(name, List.of(Map.of("key", "team", "value", "fraud")));
        JsonNode experiment =
                ok(api.get("experiments/get-by-name?experiment_name=" + name)).path("experiment");
        assertThat(experiment.path("experiment_id").asText()).isEqualTo(id);
        assertThat(experiment.path("artifact_location").asText()).isEqualTo("mlflow-artifacts:/" + id);
        assertThat(experiment.path("tags").get(0).path("key").asText()).isEqualTo("team");
        assertThat(experiment.path("creation_time").isNumber()).isTrue();
    }

    @Test
    void aTakenExperimentNameIsRefused() {
        String name = uniqueName("taken");
        createExperiment(name, List.of());
        Response again = api.post("experiments/create", Map.of("name", name));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.errorCode()).isEqualTo("RESOURCE_ALREADY_EXISTS");
    }

    @Test
    void aRunWithoutANameGetsAGeneratedOneAndTheRunNameTag() {
        String runId = createRun("0", Map.of());
        JsonNode run = getRun(runId);
        String name = run.path("info").path("run_name").asText();
        assertThat(name).matches("[a-z]+-[a-z]+-\\d{1,3}");
        assertThat(tags(run)).containsEntry("mlflow.runName", name);
        assertThat(run.path("info").path("status").asText()).isEqualTo("RUNNING");
        assertThat(run.path("info").path("artifact_uri").asText())
                .isEqualTo("mlflow-artifacts:/0/" + runId + "/artifacts");
        assertThat(run.path("info").has("end_time")).isFalse();
    }

    @Test
    void aRunNameAndADifferentRunNameTagAreRefused() {
        Response response = api.post(
                "runs/create",
                Map.of(
                        "experiment_id",
                        "0",
                        "run_name",
                        "a",
                        "tags",
                        List.of(Map.of("key", "mlflow.runName", "value", "b"))));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
    }

    @Test
    void renamingARunUpdatesItsNameTag() {
        String runId = createRun("0", Map.of("run_name", "first"));
        JsonNode info = ok(api.post(
                        "runs/update",
                        Map.of("run_id", runId, "run_name", "second", "status", "FINISHED", "end_time", 42)))
                .path("run_info");
        assertThat(info.path("run_name").asText()).isEqualTo("second");
        assertThat(info.path("status").asText()).isEqualTo("FINISHED");
        assertThat(info.path("end_time").asLong()).isEqualTo(42);
        assertThat(tags(getRun(runId))).containsEntry("mlflow.runName", "second");
    }

    @Test
    void theLatestMetricIsTheHighestStepThenTimestampThenValue() {
        String runId = createRun("0", Map.of());
        logBatch(runId, List.of(metric("loss", 0.9, 100, 1), metric("loss", 0.5, 50, 3), metric("loss", 0.7, 60, 2)));
        logBatch(runId, List.of(metric("loss", 0.4, 40, 3)));
        JsonNode metrics = getRun(runId).path("data").path("metrics");
        assertThat(metrics).hasSize(1);
        assertThat(metrics.get(0).path("value").asDouble()).isEqualTo(0.5);
        assertThat(metrics.get(0).path("step").asLong()).isEqualTo(3);
    }

    @Test
    void historyKeepsEveryPointInTimestampOrderAndDropsExactRepeats() {
        String runId = createRun("0", Map.of());
        logBatch(runId, List.of(metric("acc", 0.1, 3, 0), metric("acc", 0.2, 1, 1), metric("acc", 0.2, 1, 1)));
        ok(api.post("runs/log-metric", Map.of("run_id", runId, "key", "acc", "value", 0.3, "timestamp", 2)));
        JsonNode history = ok(api.get("metrics/get-history?run_id=" + runId + "&metric_key=acc"))
                .path("metrics");
        assertThat(history).hasSize(3);
        assertThat(history.get(0).path("timestamp").asLong()).isEqualTo(1);
        assertThat(history.get(1).path("value").asDouble()).isEqualTo(0.3);
        assertThat(history.get(1).path("step").asLong()).isZero();
        assertThat(history.get(2).path("timestamp").asLong()).isEqualTo(3);
    }

    @Test
    void historyPagesWithMaxResultsAndPageTokens() {
        String runId = createRun("0", Map.of());
        List<Map<String, Object>> points = new ArrayList<>();
        for (int step = 0; step < 25; step++) {
            points.add(metric("m", step, 1000 + step, step));
        }
        logBatch(runId, points);
        List<Long> steps = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            JsonNode page = ok(api.get("metrics/get-history?run_id=" + runId + "&metric_key=m&max_results=10"
                    + (token == null ? "" : "&page_token=" + token)));
            page.path("metrics").forEach(point -> steps.add(point.path("step").asLong()));
            token = page.has("next_page_token") ? page.path("next_page_token").asText() : null;
            pages++;
        } while (token != null);
        assertThat(pages).isEqualTo(3);
        assertThat(steps).hasSize(25).isSorted();
    }

    @Test
    void nanAndInfinitiesRoundTripAsProtobufStrings() {
        String runId = createRun("0", Map.of());
        ok(api.post(
                "runs/log-batch",
                "{\"run_id\":\"" + runId + "\",\"metrics\":["
                        + "{\"key\":\"a\",\"value\":NaN,\"timestamp\":1},"
                        + "{\"key\":\"b\",\"value\":\"Infinity\",\"timestamp\":1},"
                        + "{\"key\":\"c\",\"value\":\"-Infinity\",\"timestamp\":1}]}"));
        Map<String, String> values = new java.util.TreeMap<>();
        getRun(runId)
                .path("data")
                .path("metrics")
                .forEach(m -> values.put(m.path("key").asText(), m.path("value").asText()));
        assertThat(values)
                .containsExactly(Map.entry("a", "NaN"), Map.entry("b", "Infinity"), Map.entry("c", "-Infinity"));
    }

    @Test
    void aParamMayBeLoggedAgainWithTheSameValueButNeverChanged() {
        String runId = createRun("0", Map.of());
        ok(api.post("runs/log-parameter", Map.of("run_id", runId, "key", "lr", "value", "0.1")));
        ok(api.post("runs/log-parameter", Map.of("run_id", runId, "key", "lr", "value", "0.1")));
        Response changed = api.post("runs/log-parameter", Map.of("run_id", runId, "key", "lr", "value", "0.2"));
        assertThat(changed.status()).isEqualTo(400);
        assertThat(changed.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(changed.json().path("message").asText())
                .contains("lr")
                .contains("0.1")
                .contains("0.2");
    }

    @Test
    void aBatchWithAChangedParamLeavesNothingBehind() {
        String runId = createRun("0", Map.of());
        ok(api.post("runs/log-parameter", Map.of("run_id", runId, "key", "lr", "value", "0.1")));
        Response rejected = api.post(
                "runs/log-batch",
                Map.of(
                        "run_id", runId,
                        "metrics", List.of(metric("loss", 1, 1, 0)),
                        "params", List.of(Map.of("key", "batch", "value", "32"), Map.of("key", "lr", "value", "0.5")),
                        "tags", List.of(Map.of("key", "note", "value", "x"))));
        assertThat(rejected.status()).isEqualTo(400);
        JsonNode run = getRun(runId);
        assertThat(run.path("data").path("metrics")).isEmpty();
        assertThat(run.path("data").path("params")).hasSize(1);
        assertThat(tags(run)).doesNotContainKey("note");
    }

    @Test
    void tagsCanBeOverwrittenAndDeleted() {
        String runId = createRun("0", Map.of());
        ok(api.post("runs/set-tag", Map.of("run_id", runId, "key", "stage", "value", "a")));
        ok(api.post("runs/set-tag", Map.of("run_id", runId, "key", "stage", "value", "b")));
        assertThat(tags(getRun(runId))).containsEntry("stage", "b");
        ok(api.post("runs/delete-tag", Map.of("run_id", runId, "key", "stage")));
        assertThat(tags(getRun(runId))).doesNotContainKey("stage");
        Response missing = api.post("runs/delete-tag", Map.of("run_id", runId, "key", "stage"));
        assertThat(missing.status()).isEqualTo(404);
    }

    @Test
    void deletedRunsRefuseWritesUntilRestored() {
        String runId = createRun("0", Map.of());
        ok(api.post("runs/delete", Map.of("run_id", runId)));
        assertThat(getRun(runId).path("info").path("lifecycle_stage").asText()).isEqualTo("deleted");
        Response refused = api.post("runs/log-metric", Map.of("run_id", runId, "key", "a", "value", 1, "timestamp", 1));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("message").asText()).contains("active");
        ok(api.post("runs/restore", Map.of("run_id", runId)));
        ok(api.post("runs/log-metric", Map.of("run_id", runId, "key", "a", "value", 1, "timestamp", 1)));
    }

    @Test
    void deletingAnExperimentDeletesItsRunsAndRestoringBringsThemBack() {
        String experimentId = createExperiment(uniqueName("doomed"), List.of());
        String runId = createRun(experimentId, Map.of());
        ok(api.post("experiments/delete", Map.of("experiment_id", experimentId)));
        assertThat(getRun(runId).path("info").path("lifecycle_stage").asText()).isEqualTo("deleted");
        Response newRun = api.post("runs/create", Map.of("experiment_id", experimentId));
        assertThat(newRun.status()).isEqualTo(400);
        ok(api.post("experiments/restore", Map.of("experiment_id", experimentId)));
        assertThat(getRun(runId).path("info").path("lifecycle_stage").asText()).isEqualTo("active");
    }

    @Test
    void renamesAnExperimentAndSetsAndDeletesItsTags() {
        String experimentId = createExperiment(uniqueName("old"), List.of());
        String newName = uniqueName("new");
        ok(api.post("experiments/update", Map.of("experiment_id", experimentId, "new_name", newName)));
        ok(api.post("experiments/set-experiment-tag", Map.of("experiment_id", experimentId, "key", "k", "value", "v")));
        JsonNode experiment =
                ok(api.get("experiments/get?experiment_id=" + experimentId)).path("experiment");
        assertThat(experiment.path("name").asText()).isEqualTo(newName);
        assertThat(experiment.path("tags").get(0).path("value").asText()).isEqualTo("v");
        ok(api.post("experiments/delete-experiment-tag", Map.of("experiment_id", experimentId, "key", "k")));
        assertThat(ok(api.get("experiments/get?experiment_id=" + experimentId))
                        .path("experiment")
                        .has("tags"))
                .isFalse();
    }

    @Test
    void loggedModelsAccumulateInTheModelHistoryTag() {
        String runId = createRun("0", Map.of());
        String model =
                "{\"artifact_path\":\"model\",\"flavors\":{\"python_function\":{}},\"utc_time_created\":\"2026-01-01\",\"run_id\":\""
                        + runId + "\"}";
        ok(api.post("runs/log-model", Map.of("run_id", runId, "model_json", model)));
        ok(api.post("runs/log-model", Map.of("run_id", runId, "model_json", model.replace("\"model\"", "\"model2\""))));
        String history = tags(getRun(runId)).get("mlflow.log-model.history");
        assertThat(history).contains("\"model\"").contains("\"model2\"");
        Response missingFields =
                api.post("runs/log-model", Map.of("run_id", runId, "model_json", "{\"artifact_path\":\"m\"}"));
        assertThat(missingFields.status()).isEqualTo(400);
        Response notJson = api.post("runs/log-model", Map.of("run_id", runId, "model_json", "{nope"));
        assertThat(notJson.status()).isEqualTo(400);
    }

    @Test
    void datasetInputsAreRecordedOncePerRunWithTheirTags() {
        String runId = createRun("0", Map.of());
        Map<String, Object> input = Map.of(
                "tags", List.of(Map.of("key", "mlflow.data.context", "value", "training")),
                "dataset",
                        Map.of(
                                "name",
                                "iris",
                                "digest",
                                "abc123",
                                "source_type",
                                "local",
                                "source",
                                "{\"uri\":\"/data/iris.csv\"}",
                                "schema",
                                "{\"mlflow_colspec\":[]}"));
        ok(api.post("runs/log-inputs", Map.of("run_id", runId, "datasets", List.of(input))));
        ok(api.post("runs/log-inputs", Map.of("run_id", runId, "datasets", List.of(input))));
        JsonNode inputs = getRun(runId).path("inputs").path("dataset_inputs");
        assertThat(inputs).hasSize(1);
        assertThat(inputs.get(0).path("dataset").path("name").asText()).isEqualTo("iris");
        assertThat(inputs.get(0).path("dataset").path("schema").asText()).contains("mlflow_colspec");
        assertThat(inputs.get(0).path("tags").get(0).path("value").asText()).isEqualTo("training");
        Response missingDigest = api.post(
                "runs/log-inputs",
                Map.of(
                        "run_id",
                        runId,
                        "datasets",
                        List.of(Map.of("dataset", Map.of("name", "x", "source_type", "local", "source", "s")))));
        assertThat(missingDigest.status()).isEqualTo(400);
    }

    @Test
    void bulkIntervalHistoryKeepsEveryRunsFirstAndLastStep() {
        String first = createRun("0", Map.of());
        String second = createRun("0", Map.of());
        List<Map<String, Object>> points = new ArrayList<>();
        for (int step = 0; step < 100; step++) {
            points.add(metric("loss", 1.0 / (step + 1), step, step));
        }
        logBatch(first, points);
        logBatch(second, List.of(metric("loss", 1, 1, 7), metric("loss", 1, 2, 33)));
        JsonNode metrics = ok(api.get("metrics/get-history-bulk-interval?run_ids=" + first + "&run_ids=" + second
                        + "&metric_key=loss&max_results=10"))
                .path("metrics");
        List<Long> firstSteps = new ArrayList<>();
        List<Long> secondSteps = new ArrayList<>();
        metrics.forEach(point -> (point.path("run_id").asText().equals(first) ? firstSteps : secondSteps)
                .add(point.path("step").asLong()));
        assertThat(firstSteps).contains(0L, 7L, 33L, 99L).hasSizeLessThanOrEqualTo(14);
        assertThat(secondSteps).containsExactly(7L, 33L);
        Response oneSided =
                api.get("metrics/get-history-bulk-interval?run_ids=" + first + "&metric_key=loss&start_step=3");
        assertThat(oneSided.status()).isEqualTo(400);
    }

    @Test
    void theAjaxPrefixServesTheSameApi() {
        Response response = api.get("/ajax-api/2.0/mlflow/experiments/get?experiment_id=0");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("experiment").path("name").asText()).isEqualTo("Default");
    }

    @Test
    void healthAndVersionAnswer() {
        assertThat(api.get("/health").body()).isEqualTo("OK");
        assertThat(api.get("/version").status()).isEqualTo(200);
    }

    private String createExperiment(String name, List<Map<String, String>> tags) {
        return ok(api.post("experiments/create", Map.of("name", name, "tags", tags)))
                .path("experiment_id")
                .asText();
    }

    private String createRun(String experimentId, Map<String, Object> fields) {
        Map<String, Object> body = new java.util.HashMap<>(fields);
        body.put("experiment_id", experimentId);
        return ok(api.post("runs/create", body))
                .path("run")
                .path("info")
                .path("run_id")
                .asText();
    }

    private JsonNode getRun(String runId) {
        return ok(api.get("runs/get?run_id=" + runId)).path("run");
    }

    private void logBatch(String runId, List<Map<String, Object>> metrics) {
        ok(api.post("runs/log-batch", Map.of("run_id", runId, "metrics", metrics)));
    }

    private static Map<String, Object> metric(String key, double value, long timestamp, long step) {
        return Map.of("key", key, "value", value, "timestamp", timestamp, "step", step);
    }

    private static Map<String, String> tags(JsonNode run) {
        Map<String, String> tags = new java.util.TreeMap<>();
        run.path("data")
                .path("tags")
                .forEach(tag ->
                        tags.put(tag.path("key").asText(), tag.path("value").asText()));
        return tags;
    }

    private static JsonNode ok(Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static String uniqueName(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet() + "-" + System.nanoTime();
    }
}
