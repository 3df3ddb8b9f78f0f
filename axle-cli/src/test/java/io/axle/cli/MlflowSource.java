package io.axle.cli;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.ApiClient.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Seeds and reads a tracking server through MLflow's REST API, as MLflow's own clients would. */
final class MlflowSource {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final ApiClient api;

    MlflowSource(ApiClient api) {
        this.api = requireNonNull(api, "api is null");
    }

    JsonNode ok(Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    JsonNode post(String path, Object body) {
        return ok(api.post(path, body));
    }

    JsonNode get(String pathAndQuery) {
        return ok(api.get(pathAndQuery));
    }

    String createExperiment(String name, Map<String, String> tags) {
        return post("experiments/create", Map.of("name", name, "tags", keyValues(tags)))
                .path("experiment_id")
                .asText();
    }

    JsonNode createRun(String experimentId, String name, long startTime) {
        return post(
                        "runs/create",
                        Map.of(
                                "experiment_id",
                                experimentId,
                                "run_name",
                                name,
                                "start_time",
                                startTime,
                                "user_id",
                                "ann"))
                .path("run")
                .path("info");
    }

    void logParams(String runId, Map<String, String> params) {
        post("runs/log-batch", Map.of("run_id", runId, "params", keyValues(params)));
    }

    void logTags(String runId, Map<String, String> tags) {
        post("runs/log-batch", Map.of("run_id", runId, "tags", keyValues(tags)));
    }

    /** Logs {@code points} points of {@code key}, at steps 0.., in batches; one value is NaN. */
    void logHistory(String runId, String key, int points) {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int step = 0; step < points; step++) {
            Object value = step == 1 ? "NaN" : 1.0 / (step + 1);
            batch.add(Map.of("key", key, "value", value, "timestamp", 1_700_000_000_000L + step * 7L, "step", step));
            if (batch.size() == 1000) {
                post("runs/log-batch", Map.of("run_id", runId, "metrics", batch));
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            post("runs/log-batch", Map.of("run_id", runId, "metrics", batch));
        }
    }

    void logDataset(String runId, String name, String context) {
        Map<String, Object> dataset = Map.of(
                "name",
                name,
                "digest",
                "d-" + name,
                "source_type",
                "local",
                "source",
                "file:///data/" + name,
                "schema",
                "{\"columns\": 3}");
        post(
                "runs/log-inputs",
                Map.of(
                        "run_id",
                        runId,
                        "datasets",
                        List.of(Map.of(
                                "tags",
                                List.of(Map.of("key", "mlflow.data.context", "value", context)),
                                "dataset",
                                dataset))));
    }

    void finish(String runId, String status, long endTime) {
        post("runs/update", Map.of("run_id", runId, "status", status, "end_time", endTime));
    }

    /** Uploads {@code content} to {@code path} in the run's artifacts through the artifact proxy. */
    void upload(JsonNode runInfo, String path, byte[] content) {
        String root = runInfo.path("artifact_uri").asText().replaceFirst("^mlflow-artifacts:/+", "");
        Response response = api.send(HttpRequest.newBuilder(
                        api.uri("/api/2.0/mlflow-artifacts/artifacts/" + root + "/" + path.replace(" ", "%20")))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                .build());
        ok(response);
    }

    /** Every experiment, by name. */
    Map<String, JsonNode> experiments() {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        post("experiments/search", Map.of("view_type", "ALL", "max_results", 1000))
                .path("experiments")
                .forEach(experiment -> byName.put(experiment.path("name").asText(), experiment));
        return byName;
    }

    /** Every run of an experiment, by name. */
    Map<String, JsonNode> runs(String experimentId) {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        post(
                        "runs/search",
                        Map.of("experiment_ids", List.of(experimentId), "run_view_type", "ALL", "max_results", 1000))
                .path("runs")
                .forEach(run -> byName.put(run.path("info").path("run_name").asText(), run));
        return byName;
    }

    JsonNode run(String runId) {
        return get("runs/get?run_id=" + runId).path("run");
    }

    /** A metric's whole history as "step timestamp value" lines, in order. */
    List<String> history(String runId, String key) {
        List<String> points = new ArrayList<>();
        get("metrics/get-history?run_id=" + runId + "&metric_key=" + key)
                .path("metrics")
                .forEach(point -> points.add(point.path("step").asLong() + " "
                        + point.path("timestamp").asLong() + " "
                        + point.path("value").asText()));
        return points.stream().sorted().toList();
    }

    /** Every artifact file of a run, path to content. */
    Map<String, byte[]> artifacts(String runId) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        collect(runId, "", files);
        return files;
    }

    private void collect(String runId, String path, Map<String, byte[]> files) {
        for (JsonNode file : get("artifacts/list?run_id=" + runId + "&path=" + path.replace(" ", "%20"))
                .path("files")) {
            String child = file.path("path").asText();
            if (file.path("is_dir").asBoolean()) {
                collect(runId, child, files);
            } else {
                files.put(child, bytes(runId, child));
            }
        }
    }

    private byte[] bytes(String runId, String path) {
        HttpRequest request = HttpRequest.newBuilder(
                        api.uri("/get-artifact?run_id=" + runId + "&path=" + path.replace(" ", "%20")))
                .GET()
                .build();
        try {
            HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<Map<String, String>> keyValues(Map<String, String> values) {
        return values.entrySet().stream()
                .map(entry -> Map.of("key", entry.getKey(), "value", entry.getValue()))
                .toList();
    }
}
