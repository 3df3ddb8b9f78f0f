package io.axle.cli.mlflowimport;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.cli.client.TrackingClient;
import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import java.util.Map;
import java.util.Optional;

/**
 * Copies everything an MLflow tracking server holds into an Axle server, through both REST APIs: experiments with
 * their runs, then registered models with their versions. A failure of one experiment, run or model is recorded and
 * the import goes on; a server that cannot be reached, or a state file that cannot be written, stops it.
 */
final class MlflowImport {
    private static final String API = TrackingClient.MLFLOW_API;
    private static final String DEFAULT_EXPERIMENT_ID = "0";

    private final TrackingClient source;
    private final TrackingClient target;
    private final ImportState state;
    private final ImportSummary summary;
    private final int pageSize;
    private final RunCopy runs;

    MlflowImport(TrackingClient source, TrackingClient target, ImportState state, ImportSummary summary, int pageSize) {
        this.source = requireNonNull(source, "source is null");
        this.target = requireNonNull(target, "target is null");
        this.state = requireNonNull(state, "state is null");
        this.summary = requireNonNull(summary, "summary is null");
        this.pageSize = pageSize;
        this.runs = new RunCopy(source, target, state, summary, pageSize);
    }

    /** Fails in one line unless both servers answer as MLflow tracking servers. */
    void requireServers() {
        requireTrackingServer(source, "--from-mlflow");
        requireTrackingServer(target, "--tracking-uri");
    }

    void run() {
        Pages.forEach(
                token -> source.post(API + "experiments/search", page(token).put("view_type", "ALL")),
                "experiments",
                experiment -> guarded(
                        "experiment '" + experiment.path("name").asText() + "' (id "
                                + experiment.path("experiment_id").asText() + ")",
                        () -> copyExperiment(experiment)));
        new ModelCopy(source, target, state, summary, pageSize).run();
    }

    /** One cheap call that any MLflow tracking server answers with JSON, so a wrong URL fails in one clear line. */
    private static void requireTrackingServer(TrackingClient server, String option) {
        try {
            server.post(API + "experiments/search", object().put("max_results", 1));
        } catch (AxleException e) {
            if (e.getCause() != null) {
                throw e;
            }
            throw new AxleException(
                    e.errorCode(),
                    server.url() + " (" + option + ") does not answer as an MLflow tracking server: " + e.getMessage());
        }
    }

    private void copyExperiment(JsonNode experiment) {
        String sourceId = experiment.path("experiment_id").asText();
        boolean deleted = "deleted".equals(experiment.path("lifecycle_stage").asText());
        Optional<ImportState.Experiment> known = state.experiment(sourceId);
        // a deleted experiment gets no new runs; an active one may have, so its runs are looked through again
        if (known.isPresent() && known.get().done() && deleted) {
            summary.add(ImportSummary.Count.EXPERIMENTS_DONE_BEFORE, 1);
            return;
        }
        Counterpart counterpart;
        if (known.isPresent()) {
            counterpart = new Counterpart(known.get().targetId(), false);
        } else {
            counterpart = counterpart(experiment);
            state.put(sourceId, new ImportState.Experiment(counterpart.id(), false));
            summary.add(ImportSummary.Count.EXPERIMENTS, 1);
        }
        String targetId = counterpart.id();
        if (known.isPresent() && known.get().done()) {
            summary.add(ImportSummary.Count.EXPERIMENTS_DONE_BEFORE, 1);
        }
        boolean[] allCopied = {true};
        Pages.forEach(
                token -> source.post(
                        API + "runs/search",
                        page(token).put("run_view_type", "ALL").set("experiment_ids", array(sourceId))),
                "runs",
                run -> {
                    String runId = run.path("info").path("run_id").asText();
                    boolean copied = guarded(
                            "run " + runId + " of experiment '"
                                    + experiment.path("name").asText() + "'",
                            () -> runs.copy(runId, targetId, counterpart.created()));
                    allCopied[0] &= copied;
                });
        if (!allCopied[0]) {
            return;
        }
        if (deleted && isActive(targetId)) {
            target.post(API + "experiments/delete", object().put("experiment_id", targetId));
        }
        state.put(sourceId, new ImportState.Experiment(targetId, true));
    }

    /** A target experiment, and whether this import created it (so that it holds no copy made before). */
    private record Counterpart(String id, boolean created) {
        Counterpart {
            requireNonNull(id, "id is null");
        }
    }

    /**
     * The target experiment for a source one: the Default experiment is the Default experiment; one of the same name
     * is taken over (restored if deleted, since runs cannot be created in it); otherwise a new one with its tags.
     */
    private Counterpart counterpart(JsonNode experiment) {
        String name = experiment.path("name").asText();
        if (DEFAULT_EXPERIMENT_ID.equals(experiment.path("experiment_id").asText())) {
            setTags(DEFAULT_EXPERIMENT_ID, experiment.path("tags"));
            return new Counterpart(DEFAULT_EXPERIMENT_ID, false);
        }
        Optional<JsonNode> existing = byName(name);
        if (existing.isPresent()) {
            String id = existing.get().path("experiment_id").asText();
            if ("deleted".equals(existing.get().path("lifecycle_stage").asText())) {
                target.post(API + "experiments/restore", object().put("experiment_id", id));
            }
            setTags(id, experiment.path("tags"));
            return new Counterpart(id, false);
        }
        ObjectNode create = object().put("name", name);
        create.set("tags", experiment.path("tags").isArray() ? experiment.path("tags") : array());
        return new Counterpart(
                target.post(API + "experiments/create", create)
                        .path("experiment_id")
                        .asText(),
                true);
    }

    private Optional<JsonNode> byName(String name) {
        try {
            return Optional.of(target.get(API + "experiments/get-by-name", Map.of("experiment_name", name))
                    .path("experiment"));
        } catch (AxleException e) {
            if (e.getCause() == null && e.errorCode() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private void setTags(String targetId, JsonNode tags) {
        tags.forEach(tag -> target.post(
                API + "experiments/set-experiment-tag",
                object().put("experiment_id", targetId)
                        .put("key", tag.path("key").asText())
                        .put("value", tag.path("value").asText(""))));
    }

    private boolean isActive(String targetId) {
        return "active"
                .equals(target.get(API + "experiments/get", Map.of("experiment_id", targetId))
                        .path("experiment")
                        .path("lifecycle_stage")
                        .asText());
    }

    /**
     * Runs {@code copy}, recording an error the server answered as a failure of {@code item}; false then. A failure to
     * reach a server or write the state goes up and ends the import: every later item would fail the same way.
     */
    boolean guarded(String item, Runnable copy) {
        return guarded(summary, item, copy);
    }

    static boolean guarded(ImportSummary summary, String item, Runnable copy) {
        try {
            copy.run();
            return true;
        } catch (AxleException e) {
            if (e.getCause() != null) {
                throw e;
            }
            summary.failed(item, e.getMessage());
            return false;
        }
    }

    private ObjectNode page(Optional<String> token) {
        ObjectNode body = object().put("max_results", pageSize);
        token.ifPresent(value -> body.put("page_token", value));
        return body;
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    static com.fasterxml.jackson.databind.node.ArrayNode array(String... values) {
        com.fasterxml.jackson.databind.node.ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (String value : values) {
            array.add(value);
        }
        return array;
    }
}
