package io.axle.server.registry;

import static java.util.Objects.requireNonNull;

import io.axle.server.tracking.Tag;
import java.util.List;
import java.util.Optional;

/** A model version as MLflow's registry API shows it; {@code version} is a string there. */
public record ModelVersion(
        String name,
        String version,
        long creationTimestamp,
        long lastUpdatedTimestamp,
        Optional<String> userId,
        String currentStage,
        Optional<String> description,
        String source,
        Optional<String> runId,
        String status,
        Optional<String> statusMessage,
        List<Tag> tags,
        Optional<String> runLink,
        List<String> aliases) {
    public ModelVersion {
        requireNonNull(name, "name is null");
        requireNonNull(version, "version is null");
        requireNonNull(userId, "userId is null");
        requireNonNull(currentStage, "currentStage is null");
        requireNonNull(description, "description is null");
        requireNonNull(source, "source is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(status, "status is null");
        requireNonNull(statusMessage, "statusMessage is null");
        tags = List.copyOf(tags);
        requireNonNull(runLink, "runLink is null");
        aliases = List.copyOf(aliases);
    }
}
