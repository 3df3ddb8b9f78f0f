package io.axle.cli.mlflowimport;

import static io.axle.cli.mlflowimport.MlflowImport.object;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.cli.client.TrackingClient;
import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Copies registered models: the model with its description and tags, then its versions in version order (each with
 * its description, tags and stage), then its aliases. A version logged from a run points at the copied run
 * ({@code runs:/<new run id>/<path>}); any other version's files are copied through the artifact proxies.
 */
final class ModelCopy {
    private static final String API = TrackingClient.MLFLOW_API;
    /** Where versions' files that belong to no copied run go, under the target's artifact proxy. */
    static final String MODEL_FILES_ROOT = "registry-import";

    private final TrackingClient source;
    private final TrackingClient target;
    private final ImportState state;
    private final ImportSummary summary;
    private final int pageSize;

    ModelCopy(TrackingClient source, TrackingClient target, ImportState state, ImportSummary summary, int pageSize) {
        this.source = requireNonNull(source, "source is null");
        this.target = requireNonNull(target, "target is null");
        this.state = requireNonNull(state, "state is null");
        this.summary = requireNonNull(summary, "summary is null");
        this.pageSize = pageSize;
    }

    void run() {
        if (!hasRegistry(source)) {
            // an MLflow tracking server without a registry has no models to copy
            return;
        }
        boolean targetHasRegistry = hasRegistry(target);
        Pages.forEach(
                token -> source.get(API + "registered-models/search", page(token, Map.of())),
                "registered_models",
                model -> {
                    String name = model.path("name").asText();
                    if (!targetHasRegistry) {
                        summary.failed(
                                "registered model '" + name + "'",
                                "the Axle server at " + target.url() + " has no model registry API yet");
                        return;
                    }
                    MlflowImport.guarded(summary, "registered model '" + name + "'", () -> copyModel(name));
                });
    }

    private static boolean hasRegistry(TrackingClient server) {
        try {
            server.get(API + "registered-models/search", Map.of("max_results", "1"));
            return true;
        } catch (AxleException e) {
            if (e.getCause() == null && e.errorCode() == ErrorCode.ENDPOINT_NOT_FOUND
                    || e.getCause() == null && e.errorCode() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                return false;
            }
            throw e;
        }
    }

    private void copyModel(String name) {
        ImportState.Model progress = state.model(name).orElse(new ImportState.Model(false, Map.of(), false));
        // a copied model is looked through again all the same, for versions registered since
        if (progress.done()) {
            summary.add(ImportSummary.Count.MODELS_DONE_BEFORE, 1);
        }
        JsonNode model =
                source.get(API + "registered-models/get", Map.of("name", name)).path("registered_model");
        boolean modelIsNew = !progress.created();
        if (modelIsNew) {
            createModel(model);
            progress = new ImportState.Model(true, Map.of(), false);
            state.put(name, progress);
            summary.add(ImportSummary.Count.MODELS, 1);
        }
        Map<String, ImportState.Version> versions = new LinkedHashMap<>(progress.versions());
        boolean allCopied = true;
        for (JsonNode version : versionsInOrder(name)) {
            String number = version.path("version").asText();
            allCopied &= MlflowImport.guarded(
                    summary,
                    "registered model '" + name + "' version " + number,
                    () -> copyVersion(name, version, versions, modelIsNew));
        }
        if (!allCopied) {
            return;
        }
        for (JsonNode alias : model.path("aliases")) {
            ImportState.Version version = versions.get(alias.path("version").asText());
            if (version == null) {
                summary.skipped(
                        "alias '" + alias.path("alias").asText() + "' of registered model '" + name + "'",
                        "its version " + alias.path("version").asText() + " was not copied");
                continue;
            }
            target.post(
                    API + "registered-models/alias",
                    object().put("name", name)
                            .put("alias", alias.path("alias").asText())
                            .put("version", version.targetVersion()));
        }
        state.put(name, new ImportState.Model(true, versions, true));
    }

    /** Creates the model, or takes over one of that name and gives it the source's description and tags. */
    private void createModel(JsonNode model) {
        String name = model.path("name").asText();
        ObjectNode create = object().put("name", name);
        create.set("tags", model.path("tags").isArray() ? model.path("tags") : MlflowImport.array());
        description(model).ifPresent(text -> create.put("description", text));
        try {
            target.post(API + "registered-models/create", create);
        } catch (AxleException e) {
            if (e.getCause() != null || e.errorCode() != ErrorCode.RESOURCE_ALREADY_EXISTS) {
                throw e;
            }
            description(model)
                    .ifPresent(text -> target.patch(
                            API + "registered-models/update",
                            object().put("name", name).put("description", text)));
            model.path("tags")
                    .forEach(tag -> target.post(
                            API + "registered-models/set-tag",
                            object().put("name", name)
                                    .put("key", tag.path("key").asText())
                                    .put("value", tag.path("value").asText(""))));
        }
    }

    private List<JsonNode> versionsInOrder(String name) {
        List<JsonNode> versions = new ArrayList<>();
        Pages.forEach(
                token -> source.get(API + "model-versions/search", page(token, Map.of("filter", nameFilter(name)))),
                "model_versions",
                versions::add);
        versions.sort(Comparator.comparingLong(
                version -> Long.parseLong(version.path("version").asText("0"))));
        return versions;
    }

    /** {@code modelIsNew}: this import created the model, so it holds no version copied before. */
    private void copyVersion(
            String name, JsonNode version, Map<String, ImportState.Version> versions, boolean modelIsNew) {
        String number = version.path("version").asText();
        ImportState.Version progress = versions.get(number);
        if (progress != null && progress.done()) {
            return;
        }
        if (progress == null) {
            String status = version.path("status").asText("READY");
            if (!status.equals("READY")) {
                summary.skipped("registered model '" + name + "' version " + number, "its status is " + status);
                return;
            }
            progress = new ImportState.Version(createVersion(name, version, versions, modelIsNew), false);
            versions.put(number, progress);
            state.put(name, new ImportState.Model(true, versions, false));
            summary.add(ImportSummary.Count.VERSIONS, 1);
        }
        String stage = version.path("current_stage").asText("None");
        if (!stage.isEmpty() && !stage.equalsIgnoreCase("None")) {
            target.post(
                    API + "model-versions/transition-stage",
                    object().put("name", name)
                            .put("version", progress.targetVersion())
                            .put("stage", stage)
                            .put("archive_existing_versions", false));
        }
        versions.put(number, new ImportState.Version(progress.targetVersion(), true));
        state.put(name, new ImportState.Model(true, versions, false));
    }

    private String createVersion(
            String name, JsonNode version, Map<String, ImportState.Version> versions, boolean modelIsNew) {
        VersionSource location = locate(name, version);
        if (!modelIsNew) {
            Optional<String> unrecorded = unrecordedCopy(name, location, versions);
            if (unrecorded.isPresent()) {
                return unrecorded.get();
            }
        }
        ObjectNode create = object().put("name", name).put("source", location.source());
        location.runId().ifPresent(runId -> create.put("run_id", runId));
        create.set("tags", version.path("tags").isArray() ? version.path("tags") : MlflowImport.array());
        description(version).ifPresent(text -> create.put("description", text));
        if (!version.path("run_link").asText("").isEmpty()) {
            create.put("run_link", version.path("run_link").asText());
        }
        return target.post(API + "model-versions/create", create)
                .path("model_version")
                .path("version")
                .asText();
    }

    /**
     * A copy of the version that an import cut short between creating it and recording it left behind: a version
     * of the target model with the same source that is no other version's copy.
     */
    private Optional<String> unrecordedCopy(
            String name, VersionSource location, Map<String, ImportState.Version> versions) {
        Set<String> recorded = new HashSet<>();
        versions.values().forEach(version -> recorded.add(version.targetVersion()));
        List<String> candidates = new ArrayList<>();
        Pages.forEach(
                token -> target.get(API + "model-versions/search", page(token, Map.of("filter", nameFilter(name)))),
                "model_versions",
                version -> {
                    String number = version.path("version").asText();
                    if (!recorded.contains(number)
                            && version.path("source").asText().equals(location.source())) {
                        candidates.add(number);
                    }
                });
        return candidates.stream().min(Comparator.comparingLong(Long::parseLong));
    }

    /** A version's source on the target, and the copied run it came from. */
    private record VersionSource(String source, Optional<String> runId) {
        VersionSource {
            requireNonNull(source, "source is null");
            requireNonNull(runId, "runId is null");
        }
    }

    private VersionSource locate(String name, JsonNode version) {
        String sourceUri = version.path("source").asText("");
        Optional<String> copiedRun = Optional.of(version.path("run_id").asText(""))
                .filter(id -> !id.isEmpty())
                .flatMap(state::run)
                .map(ImportState.Run::targetId);
        Optional<String> inRun = copiedRun.flatMap(ignored -> runPath(sourceUri, version));
        if (copiedRun.isPresent() && inRun.isPresent()) {
            return new VersionSource(
                    "runs:/" + copiedRun.get() + (inRun.get().isEmpty() ? "" : "/" + inRun.get()), copiedRun);
        }
        String number = version.path("version").asText();
        String downloadUri = source.get(
                        API + "model-versions/get-download-uri", Map.of("name", name, "version", number))
                .path("artifact_uri")
                .asText(sourceUri);
        Optional<String> proxied = ArtifactRoots.proxyPath(downloadUri);
        if (proxied.isEmpty()) {
            summary.skipped(
                    "files of registered model '" + name + "' version " + number,
                    "they stay at " + downloadUri + ", which MLflow's REST API does not serve; the copied version "
                            + "points there");
            return new VersionSource(sourceUri, copiedRun);
        }
        String root = MODEL_FILES_ROOT + "/" + name.replaceAll("[^A-Za-z0-9._-]", "_") + "/" + number;
        new ArtifactCopy(target, summary).copy(new ArtifactSource.ProxiedArtifacts(source, proxied.get()), root);
        return new VersionSource("mlflow-artifacts:/" + root, copiedRun);
    }

    /** The path inside its run's artifacts that a version's source names, where it names one. */
    private Optional<String> runPath(String sourceUri, JsonNode version) {
        String runId = version.path("run_id").asText("");
        if (runId.isEmpty()) {
            return Optional.empty();
        }
        String runsPrefix = "runs:/" + runId;
        if (sourceUri.equals(runsPrefix) || sourceUri.startsWith(runsPrefix + "/")) {
            return Optional.of(trim(sourceUri.substring(runsPrefix.length())));
        }
        String artifactUri = source.get(API + "runs/get", Map.of("run_id", runId))
                .path("run")
                .path("info")
                .path("artifact_uri")
                .asText("");
        if (!artifactUri.isEmpty() && (sourceUri.equals(artifactUri) || sourceUri.startsWith(artifactUri + "/"))) {
            return Optional.of(trim(sourceUri.substring(artifactUri.length())));
        }
        return Optional.empty();
    }

    private static String trim(String path) {
        return path.replaceAll("^/+", "").replaceAll("/+$", "");
    }

    private static Optional<String> description(JsonNode entity) {
        return Optional.of(entity.path("description").asText("")).filter(text -> !text.isEmpty());
    }

    /** MLflow's filter on a model name, quoted with whichever quote the name does not hold. */
    private static String nameFilter(String name) {
        return name.contains("'") ? "name=\"" + name + "\"" : "name='" + name + "'";
    }

    private Map<String, String> page(Optional<String> token, Map<String, String> query) {
        Map<String, String> page = new HashMap<>(query);
        page.put("max_results", Integer.toString(pageSize));
        token.ifPresent(value -> page.put("page_token", value));
        return page;
    }
}
