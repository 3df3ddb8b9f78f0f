package io.axle.server.registry;

import static java.util.Objects.requireNonNull;

import io.axle.server.tracking.Tag;
import java.util.List;
import java.util.Optional;

/**
 * Every registered model with its versions, stages, aliases, tags and file digests, as one consistent read of the
 * registry saw them: what {@code axle registry export} writes and {@code axle registry import} reads back.
 *
 * @param eventSeq the last registry event the snapshot includes
 */
public record RegistrySnapshot(String format, long takenAt, long eventSeq, List<SnapshotModel> models) {
    public static final String FORMAT = "axle-registry/1";

    public RegistrySnapshot {
        requireNonNull(format, "format is null");
        models = List.copyOf(models);
    }

    /** A registered model in a snapshot; also the body of one model's import. */
    public record SnapshotModel(
            String name,
            long creationTimestamp,
            long lastUpdatedTimestamp,
            String userId,
            String description,
            long lastVersion,
            List<Tag> tags,
            List<RegisteredModel.Alias> aliases,
            List<SnapshotVersion> versions) {
        public SnapshotModel {
            requireNonNull(name, "name is null");
            userId = userId == null ? "" : userId;
            description = description == null ? "" : description;
            tags = tags == null ? List.of() : List.copyOf(tags);
            aliases = aliases == null ? List.of() : List.copyOf(aliases);
            versions = versions == null ? List.of() : List.copyOf(versions);
        }
    }

    /**
     * A model version in a snapshot. {@code artifactUri} is where the exported files were read from; on import,
     * {@code stagedUri} is where the importer uploaded them for the server to copy into registry storage.
     */
    public record SnapshotVersion(
            String version,
            long creationTimestamp,
            long lastUpdatedTimestamp,
            String userId,
            String description,
            String currentStage,
            String source,
            String runId,
            String runLink,
            String status,
            String statusMessage,
            List<Tag> tags,
            String artifactUri,
            List<ModelFile> files,
            Optional<String> stagedUri) {
        public SnapshotVersion {
            requireNonNull(version, "version is null");
            userId = userId == null ? "" : userId;
            description = description == null ? "" : description;
            currentStage = currentStage == null ? Stage.NONE.text() : currentStage;
            source = source == null ? "" : source;
            runId = runId == null ? "" : runId;
            runLink = runLink == null ? "" : runLink;
            status = status == null ? VersionStatus.READY.name() : status;
            statusMessage = statusMessage == null ? "" : statusMessage;
            tags = tags == null ? List.of() : List.copyOf(tags);
            artifactUri = artifactUri == null ? "" : artifactUri;
            files = files == null ? List.of() : List.copyOf(files);
            stagedUri = stagedUri == null ? Optional.empty() : stagedUri;
        }
    }
}
