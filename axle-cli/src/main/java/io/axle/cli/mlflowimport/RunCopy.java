package io.axle.cli.mlflowimport;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.cli.client.TrackingClient;
import io.axle.common.AxleException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Copies one run in three steps, each recorded in the state when done: its data (params, tags, the whole history of
 * every metric, dataset inputs), its artifacts, and its end (status, end time, lifecycle stage). A step cut short is
 * done again without duplicates: params and tags are set again to the same values, and metric points and inputs
 * the target already has are left out.
 */
final class RunCopy {
    // MLflow's log-batch limits
    private static final int PARAMS_PER_BATCH = 100;
    private static final int TAGS_PER_BATCH = 100;
    private static final int METRICS_PER_BATCH = 1000;
    private static final int INPUTS_PER_REQUEST = 100;
    private static final String API = TrackingClient.MLFLOW_API;

    private final TrackingClient source;
    private final TrackingClient target;
    private final ImportState state;
    private final ImportSummary summary;
    private final int pageSize;

    RunCopy(TrackingClient source, TrackingClient target, ImportState state, ImportSummary summary, int pageSize) {
        this.source = requireNonNull(source, "source is null");
        this.target = requireNonNull(target, "target is null");
        this.state = requireNonNull(state, "state is null");
        this.summary = requireNonNull(summary, "summary is null");
        this.pageSize = pageSize;
    }

    /**
     * Copies the source run {@code runId} into the target experiment {@code targetExperimentId}; {@code newExperiment}
     * says that this import created that experiment, so it holds no copy made before.
     */
    void copy(String runId, String targetExperimentId, boolean newExperiment) {
        ImportState.Run progress = state.run(runId).orElse(null);
        if (progress != null && progress.done()) {
            summary.add(ImportSummary.Count.RUNS_DONE_BEFORE, 1);
            return;
        }
        JsonNode run = source.get(API + "runs/get", Map.of("run_id", runId)).path("run");
        boolean created = false;
        if (progress == null) {
            Optional<String> unrecorded =
                    newExperiment ? Optional.empty() : unrecordedCopy(run.path("info"), targetExperimentId);
            created = unrecorded.isEmpty();
            String targetRunId = unrecorded.orElseGet(() -> create(run.path("info"), targetExperimentId));
            progress = new ImportState.Run(targetRunId, false, false, false);
            state.put(runId, progress);
            summary.add(ImportSummary.Count.RUNS, 1);
        }
        String targetRunId = progress.targetId();
        if (!progress.dataDone()) {
            copyData(run, targetRunId, created);
            progress = new ImportState.Run(targetRunId, true, false, false);
            state.put(runId, progress);
        }
        if (!progress.artifactsDone()) {
            copyArtifacts(runId, targetRunId);
            progress = new ImportState.Run(targetRunId, true, true, false);
            state.put(runId, progress);
        }
        finish(run.path("info"), targetRunId);
        state.put(runId, new ImportState.Run(targetRunId, true, true, true));
    }

    /**
     * A copy of the run that an import cut short between creating it and recording it left behind: a run of the
     * same name and start time that is no other run's copy.
     */
    private Optional<String> unrecordedCopy(JsonNode info, String targetExperimentId) {
        String name = info.path("run_name").asText("");
        if (name.isEmpty() || name.contains("'") && name.contains("\"")) {
            return Optional.empty();
        }
        String quoted = name.contains("'") ? "\"" + name + "\"" : "'" + name + "'";
        ObjectNode search = object().put(
                        "filter",
                        "attributes.run_name = " + quoted + " AND attributes.start_time = "
                                + info.path("start_time").asLong())
                .put("run_view_type", "ALL")
                .put("max_results", 100);
        search.putArray("experiment_ids").add(targetExperimentId);
        for (JsonNode candidate : target.post(API + "runs/search", search).path("runs")) {
            String candidateId = candidate.path("info").path("run_id").asText();
            if (!state.isCopy(candidateId)) {
                return Optional.of(candidateId);
            }
        }
        return Optional.empty();
    }

    private String create(JsonNode info, String targetExperimentId) {
        ObjectNode body = object().put("experiment_id", targetExperimentId)
                .put("user_id", info.path("user_id").asText(""))
                .put("start_time", info.path("start_time").asLong(System.currentTimeMillis()));
        String name = info.path("run_name").asText("");
        if (!name.isEmpty()) {
            body.put("run_name", name);
        }
        return target.post(API + "runs/create", body)
                .path("run")
                .path("info")
                .path("run_id")
                .asText();
    }

    private void copyData(JsonNode run, String targetRunId, boolean created) {
        JsonNode data = run.path("data");
        List<JsonNode> params = new ArrayList<>();
        data.path("params").forEach(params::add);
        inBatches(params, PARAMS_PER_BATCH, batch -> logBatch(targetRunId, "params", batch));
        summary.add(ImportSummary.Count.PARAMS, params.size());
        List<JsonNode> tags = new ArrayList<>();
        data.path("tags").forEach(tags::add);
        inBatches(tags, TAGS_PER_BATCH, batch -> logBatch(targetRunId, "tags", batch));
        summary.add(ImportSummary.Count.TAGS, tags.size());
        String runId = run.path("info").path("run_id").asText();
        Set<String> metricKeys = new LinkedHashSet<>();
        data.path("metrics").forEach(metric -> metricKeys.add(metric.path("key").asText()));
        for (String key : metricKeys) {
            copyHistory(runId, key, targetRunId, created);
        }
        copyInputs(run.path("inputs").path("dataset_inputs"), targetRunId, created);
    }

    /** Copies every point of metric {@code key}, a page at a time, leaving out points the target run already has. */
    private void copyHistory(String runId, String key, String targetRunId, boolean created) {
        // the target's points of a step cut short, which the source's matching points use up one by one
        Map<String, Integer> unmatched = created ? new HashMap<>() : history(target, targetRunId, key);
        List<JsonNode> pending = new ArrayList<>();
        Pages.forEach(token -> historyPage(source, runId, key, token), "metrics", point -> {
            String identity = identity(point);
            Integer copies = unmatched.get(identity);
            if (copies != null) {
                if (copies == 1) {
                    unmatched.remove(identity);
                } else {
                    unmatched.put(identity, copies - 1);
                }
                return;
            }
            ObjectNode metric = object().put("key", key);
            metric.set("value", point.path("value"));
            pending.add(metric.put("timestamp", point.path("timestamp").asLong())
                    .put("step", point.path("step").asLong(0)));
            if (pending.size() == METRICS_PER_BATCH) {
                logBatch(targetRunId, "metrics", pending);
                summary.add(ImportSummary.Count.METRIC_POINTS, pending.size());
                pending.clear();
            }
        });
        if (!pending.isEmpty()) {
            logBatch(targetRunId, "metrics", pending);
            summary.add(ImportSummary.Count.METRIC_POINTS, pending.size());
        }
    }

    /** The points of a metric, counted by identity, as a multiset. */
    private Map<String, Integer> history(TrackingClient server, String runId, String key) {
        Map<String, Integer> points = new HashMap<>();
        Pages.forEach(
                token -> historyPage(server, runId, key, token),
                "metrics",
                point -> points.merge(identity(point), 1, Integer::sum));
        return points;
    }

    private JsonNode historyPage(TrackingClient server, String runId, String key, Optional<String> token) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("run_id", runId);
        query.put("metric_key", key);
        query.put("max_results", Integer.toString(pageSize));
        token.ifPresent(value -> query.put("page_token", value));
        return server.get(API + "metrics/get-history", query);
    }

    /** A point by what it says; the number is normalised, as one server writes 1 where another writes 1.0. */
    private static String identity(JsonNode point) {
        return point.path("step").asLong(0) + "|" + point.path("timestamp").asLong() + "|"
                + Double.toString(point.path("value").asDouble());
    }

    private void copyInputs(JsonNode inputs, String targetRunId, boolean created) {
        Set<String> present = new HashSet<>();
        if (!created) {
            target.get(API + "runs/get", Map.of("run_id", targetRunId))
                    .path("run")
                    .path("inputs")
                    .path("dataset_inputs")
                    .forEach(input -> present.add(identityOfInput(input)));
        }
        List<JsonNode> missing = new ArrayList<>();
        inputs.forEach(input -> {
            if (!present.contains(identityOfInput(input))) {
                missing.add(input);
            }
        });
        inBatches(missing, INPUTS_PER_REQUEST, batch -> {
            ObjectNode body = object().put("run_id", targetRunId);
            body.putArray("datasets").addAll(batch);
            target.post(API + "runs/log-inputs", body);
        });
        summary.add(ImportSummary.Count.DATASET_INPUTS, missing.size());
    }

    private static String identityOfInput(JsonNode input) {
        JsonNode dataset = input.path("dataset");
        return dataset.path("name").asText() + "\u0000" + dataset.path("digest").asText() + "\u0000"
                + input.path("tags").toString();
    }

    private void copyArtifacts(String runId, String targetRunId) {
        String artifactUri = target.get(API + "runs/get", Map.of("run_id", targetRunId))
                .path("run")
                .path("info")
                .path("artifact_uri")
                .asText();
        String root = ArtifactRoots.proxyPath(artifactUri)
                .orElseThrow(() -> AxleException.invalidParameter("The target keeps this run's artifacts at "
                        + artifactUri + ", which is not behind its artifact proxy: start axle server with "
                        + "--serve-artifacts and an mlflow-artifacts:/ artifact root, then import again"));
        new ArtifactCopy(target, summary).copy(new ArtifactSource.RunArtifacts(source, runId), root);
    }

    private void finish(JsonNode info, String targetRunId) {
        boolean deleted = "deleted".equals(info.path("lifecycle_stage").asText());
        // an import cut short after deleting the copy finds it deleted, and a deleted run takes no updates
        if (deleted && isDeleted(targetRunId)) {
            return;
        }
        ObjectNode update = object().put("run_id", targetRunId)
                .put("status", info.path("status").asText("FINISHED"));
        if (info.hasNonNull("end_time")) {
            update.put("end_time", info.path("end_time").asLong());
        }
        String name = info.path("run_name").asText("");
        if (!name.isEmpty()) {
            update.put("run_name", name);
        }
        target.post(API + "runs/update", update);
        if (deleted) {
            target.post(API + "runs/delete", object().put("run_id", targetRunId));
        }
    }

    private boolean isDeleted(String targetRunId) {
        return "deleted"
                .equals(target.get(API + "runs/get", Map.of("run_id", targetRunId))
                        .path("run")
                        .path("info")
                        .path("lifecycle_stage")
                        .asText());
    }

    private void logBatch(String targetRunId, String field, List<JsonNode> items) {
        ObjectNode body = object().put("run_id", targetRunId);
        body.putArray(field).addAll(items);
        target.post(API + "runs/log-batch", body);
    }

    private static void inBatches(List<JsonNode> items, int size, Consumer<List<JsonNode>> each) {
        for (int start = 0; start < items.size(); start += size) {
            each.accept(items.subList(start, Math.min(items.size(), start + size)));
        }
    }

    private static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }
}
