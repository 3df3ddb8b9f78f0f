package io.axle.server.registry;

import static java.util.Objects.requireNonNull;

import io.axle.server.tracking.Metric;
import io.axle.server.tracking.Param;
import java.util.List;
import java.util.Optional;

/**
 * Where a model version came from, in one record: its run (experiment, params, metrics), the code (the source tags
 * MLflow clients set), the data (the run's dataset inputs) and the model's own files with their digests. What is
 * missing is listed in {@code missing}, and a version with anything missing is not {@code reproducible}.
 */
public record Lineage(
        ModelVersion modelVersion,
        Optional<RunLineage> run,
        Optional<CodeLineage> code,
        List<DataLineage> datasets,
        List<ModelFile> files,
        boolean reproducible,
        List<String> missing) {
    public Lineage {
        requireNonNull(modelVersion, "modelVersion is null");
        requireNonNull(run, "run is null");
        requireNonNull(code, "code is null");
        datasets = List.copyOf(datasets);
        files = List.copyOf(files);
        missing = List.copyOf(missing);
    }

    /** The run that produced the version; {@code lifecycle_stage} says whether it has been deleted since. */
    public record RunLineage(
            String runId,
            String runName,
            String experimentId,
            String experimentName,
            String status,
            String lifecycleStage,
            long startTime,
            Optional<Long> endTime,
            List<Param> params,
            List<Metric> metrics) {
        public RunLineage {
            requireNonNull(runId, "runId is null");
            requireNonNull(runName, "runName is null");
            requireNonNull(experimentId, "experimentId is null");
            requireNonNull(experimentName, "experimentName is null");
            requireNonNull(status, "status is null");
            requireNonNull(lifecycleStage, "lifecycleStage is null");
            requireNonNull(endTime, "endTime is null");
            params = List.copyOf(params);
            metrics = List.copyOf(metrics);
        }
    }

    /** The code: the commit, the entry point and the repository, as the run's mlflow.source.* tags recorded them. */
    public record CodeLineage(
            Optional<String> gitCommit,
            Optional<String> sourceName,
            Optional<String> repoUrl,
            Optional<String> branch) {
        public CodeLineage {
            requireNonNull(gitCommit, "gitCommit is null");
            requireNonNull(sourceName, "sourceName is null");
            requireNonNull(repoUrl, "repoUrl is null");
            requireNonNull(branch, "branch is null");
        }
    }

    /** A dataset the run used; {@code dvc_md5} when it is a DVC-tracked dataset. */
    public record DataLineage(
            String name,
            String digest,
            String sourceType,
            String source,
            Optional<String> context,
            Optional<String> dvcMd5) {
        public DataLineage {
            requireNonNull(name, "name is null");
            requireNonNull(digest, "digest is null");
            requireNonNull(sourceType, "sourceType is null");
            requireNonNull(source, "source is null");
            requireNonNull(context, "context is null");
            requireNonNull(dvcMd5, "dvcMd5 is null");
        }
    }
}
