package io.axle.server.registry;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What a model URI names: the registered version (absent for {@code runs:/} URIs), where its files are to be
 * downloaded from, and each file's size and SHA-256 to check the download against.
 */
public record ResolvedModel(
        String uri,
        Optional<String> name,
        Optional<String> version,
        Optional<String> currentStage,
        List<String> aliases,
        Optional<String> runId,
        String source,
        String artifactUri,
        List<ModelFile> files,
        long totalSize) {
    public ResolvedModel {
        requireNonNull(uri, "uri is null");
        requireNonNull(name, "name is null");
        requireNonNull(version, "version is null");
        requireNonNull(currentStage, "currentStage is null");
        aliases = List.copyOf(aliases);
        requireNonNull(runId, "runId is null");
        requireNonNull(source, "source is null");
        requireNonNull(artifactUri, "artifactUri is null");
        files = List.copyOf(files);
    }
}
