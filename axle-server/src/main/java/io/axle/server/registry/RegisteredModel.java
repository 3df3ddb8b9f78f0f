package io.axle.server.registry;

import static java.util.Objects.requireNonNull;

import io.axle.server.tracking.Tag;
import java.util.List;
import java.util.Optional;

/** A registered model as MLflow's registry API shows it: the latest version in each stage, tags and aliases. */
public record RegisteredModel(
        String name,
        long creationTimestamp,
        long lastUpdatedTimestamp,
        Optional<String> userId,
        Optional<String> description,
        List<ModelVersion> latestVersions,
        List<Tag> tags,
        List<Alias> aliases) {
    public RegisteredModel {
        requireNonNull(name, "name is null");
        requireNonNull(userId, "userId is null");
        requireNonNull(description, "description is null");
        latestVersions = List.copyOf(latestVersions);
        tags = List.copyOf(tags);
        aliases = List.copyOf(aliases);
    }

    /** An alias and the version it points at. */
    public record Alias(String alias, String version) {
        public Alias {
            requireNonNull(alias, "alias is null");
            requireNonNull(version, "version is null");
        }
    }
}
