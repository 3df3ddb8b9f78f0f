package io.axle.server.registry;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.server.registry.Lineage.CodeLineage;
import io.axle.server.registry.Lineage.DataLineage;
import io.axle.server.registry.Lineage.RunLineage;
import io.axle.server.tracking.DatasetInput;
import io.axle.server.tracking.ExperimentService;
import io.axle.server.tracking.Run;
import io.axle.server.tracking.RunService;
import io.axle.server.tracking.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Puts a model version's lineage together from the registry and the tracking store. */
public final class LineageService {
    static final String GIT_COMMIT_TAG = "mlflow.source.git.commit";
    static final String SOURCE_NAME_TAG = "mlflow.source.name";
    static final String REPO_URL_TAG = "mlflow.source.git.repoURL";
    static final String BRANCH_TAG = "mlflow.source.git.branch";
    private static final String CONTEXT_TAG = "mlflow.data.context";
    private static final Pattern MD5 = Pattern.compile("^[0-9a-f]{32}(\\.dir)?$");

    private final RegistryService registry;
    private final RunService runs;
    private final ExperimentService experiments;
    private final ObjectMapper mapper;

    public LineageService(
            RegistryService registry, RunService runs, ExperimentService experiments, ObjectMapper mapper) {
        this.registry = requireNonNull(registry, "registry is null");
        this.runs = requireNonNull(runs, "runs is null");
        this.experiments = requireNonNull(experiments, "experiments is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    public Lineage lineage(String name, String version) {
        RegistryService.VersionFiles found = registry.versionFiles(name, version);
        ModelVersion modelVersion = found.version();
        List<String> missing = new ArrayList<>();
        Optional<Run> run = modelVersion.runId().flatMap(this::runOf);
        if (run.isEmpty()) {
            missing.add(
                    modelVersion.runId().isEmpty()
                            ? "no run recorded"
                            : "run " + modelVersion.runId().get() + " no longer exists");
        }
        Optional<CodeLineage> code = run.map(LineageService::code);
        if (code.isEmpty() || code.get().gitCommit().isEmpty()) {
            missing.add("no code commit recorded");
        }
        List<DataLineage> datasets = run.map(this::datasets).orElse(List.of());
        if (datasets.isEmpty()) {
            missing.add("no data version recorded");
        }
        if (!modelVersion.status().equals(VersionStatus.READY.name())) {
            missing.add("model files not in the registry (" + modelVersion.status() + ")");
        }
        return new Lineage(
                modelVersion, run.map(this::runLineage), code, datasets, found.files(), missing.isEmpty(), missing);
    }

    private Optional<Run> runOf(String runId) {
        try {
            return Optional.of(runs.get(runId));
        } catch (AxleException e) {
            if (e.errorCode() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private RunLineage runLineage(Run run) {
        String experimentName = experiments.get(run.info().experimentId()).name();
        return new RunLineage(
                run.info().runId(),
                run.info().runName(),
                run.info().experimentId(),
                experimentName,
                run.info().status(),
                run.info().lifecycleStage(),
                run.info().startTime(),
                run.info().endTime(),
                run.data().params(),
                run.data().metrics());
    }

    private static CodeLineage code(Run run) {
        return new CodeLineage(
                tag(run, GIT_COMMIT_TAG), tag(run, SOURCE_NAME_TAG), tag(run, REPO_URL_TAG), tag(run, BRANCH_TAG));
    }

    private static Optional<String> tag(Run run, String key) {
        return run.data().tags().stream()
                .filter(tag -> tag.key().equals(key) && !tag.value().isEmpty())
                .map(Tag::value)
                .findFirst();
    }

    private List<DataLineage> datasets(Run run) {
        List<DataLineage> datasets = new ArrayList<>();
        for (DatasetInput input : run.inputs().datasetInputs()) {
            Optional<String> context = input.tags().stream()
                    .filter(tag -> tag.key().equals(CONTEXT_TAG))
                    .map(Tag::value)
                    .findFirst();
            var dataset = input.dataset();
            datasets.add(new DataLineage(
                    dataset.name(),
                    dataset.digest(),
                    dataset.sourceType(),
                    dataset.source(),
                    context,
                    dvcMd5(dataset.sourceType(), dataset.source(), dataset.digest())));
        }
        return datasets;
    }

    // a DVC-tracked dataset names its DVC md5 in its source ({"md5": ...}) or, with source type dvc, as its digest
    private Optional<String> dvcMd5(String sourceType, String source, String digest) {
        try {
            JsonNode node = mapper.readTree(source);
            if (node != null && node.isObject() && node.path("md5").isTextual()) {
                return Optional.of(node.path("md5").asText());
            }
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            // a source that is not JSON names no md5
        }
        if (sourceType.toLowerCase(Locale.ROOT).equals("dvc")
                && MD5.matcher(digest).matches()) {
            return Optional.of(digest);
        }
        return Optional.empty();
    }
}
