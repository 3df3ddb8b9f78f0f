package io.axle.server.registry;

import static java.util.Objects.requireNonNull;

import io.axle.server.tracking.Tag;
import java.util.List;
import java.util.Optional;

/** What model-versions/create asks for. */
public record NewVersion(
        String name,
        String source,
        Optional<String> runId,
        List<Tag> tags,
        Optional<String> runLink,
        Optional<String> description) {
    public NewVersion {
        requireNonNull(name, "name is null");
        requireNonNull(source, "source is null");
        requireNonNull(runId, "runId is null");
        tags = List.copyOf(tags);
        requireNonNull(runLink, "runLink is null");
        requireNonNull(description, "description is null");
    }
}
