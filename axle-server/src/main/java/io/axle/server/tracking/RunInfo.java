package io.axle.server.tracking;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** A run's metadata; {@code run_uuid} repeats {@code run_id} as MLflow still sends both. */
public record RunInfo(
        String runId,
        String runUuid,
        String runName,
        String experimentId,
        String userId,
        String status,
        long startTime,
        Optional<Long> endTime,
        String artifactUri,
        String lifecycleStage) {
    public RunInfo {
        requireNonNull(runId, "runId is null");
        requireNonNull(runUuid, "runUuid is null");
        requireNonNull(runName, "runName is null");
        requireNonNull(experimentId, "experimentId is null");
        requireNonNull(userId, "userId is null");
        requireNonNull(status, "status is null");
        requireNonNull(endTime, "endTime is null");
        requireNonNull(artifactUri, "artifactUri is null");
        requireNonNull(lifecycleStage, "lifecycleStage is null");
    }
}
