package io.axle.server.tracking;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** An experiment as MLflow's API shows it; the id is a string on the wire. */
public record Experiment(
        String experimentId,
        String name,
        String artifactLocation,
        String lifecycleStage,
        long lastUpdateTime,
        long creationTime,
        List<Tag> tags) {
    public Experiment {
        requireNonNull(experimentId, "experimentId is null");
        requireNonNull(name, "name is null");
        requireNonNull(artifactLocation, "artifactLocation is null");
        requireNonNull(lifecycleStage, "lifecycleStage is null");
        tags = List.copyOf(tags);
    }
}
