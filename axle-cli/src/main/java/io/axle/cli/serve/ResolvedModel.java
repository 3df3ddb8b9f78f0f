package io.axle.cli.serve;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the server's {@code /api/2.0/axle/models/resolve} said a model URI names: the registered version (or the run)
 * and the files to download, each with its SHA-256.
 */
record ResolvedModel(
        String uri,
        Optional<String> name,
        Optional<String> version,
        Optional<String> stage,
        List<String> aliases,
        Optional<String> runId,
        String artifactUri,
        List<ModelFile> files) {
    ResolvedModel {
        requireNonNull(uri, "uri is null");
        requireNonNull(name, "name is null");
        requireNonNull(version, "version is null");
        requireNonNull(stage, "stage is null");
        aliases = List.copyOf(aliases);
        requireNonNull(runId, "runId is null");
        requireNonNull(artifactUri, "artifactUri is null");
        files = List.copyOf(files);
    }

    /** One file of the model directory: its path below the directory, size and SHA-256 (hex). */
    record ModelFile(String path, long size, String sha256) {
        ModelFile {
            requireNonNull(path, "path is null");
            requireNonNull(sha256, "sha256 is null");
        }
    }

    static ResolvedModel fromJson(JsonNode resolved) {
        List<String> aliases = new ArrayList<>();
        resolved.path("aliases").forEach(alias -> aliases.add(alias.asText()));
        List<ModelFile> files = new ArrayList<>();
        for (JsonNode file : resolved.path("files")) {
            files.add(new ModelFile(
                    file.path("path").asText(),
                    file.path("size").asLong(),
                    file.path("sha256").asText()));
        }
        String uri = resolved.path("uri").asText();
        if (!resolved.hasNonNull("artifact_uri") || files.isEmpty()) {
            throw new AxleException(
                    ErrorCode.INVALID_STATE,
                    "The server resolved " + uri + " but named no files to download; is it an Axle server?");
        }
        return new ResolvedModel(
                uri,
                text(resolved, "name"),
                text(resolved, "version"),
                text(resolved, "current_stage"),
                aliases,
                text(resolved, "run_id"),
                resolved.path("artifact_uri").asText(),
                files);
    }

    /** The registered model and version, for messages: {@code fraud version 3}, or the URI for a run's model. */
    String describe() {
        return name.isPresent() && version.isPresent() ? name.get() + " version " + version.get() : uri;
    }

    long totalSize() {
        return files.stream().mapToLong(ModelFile::size).sum();
    }

    /** Where the model lives in the cache: {@code models/<name>/<version>}, or {@code runs/<run id>/<path>}. */
    List<String> cacheKey() {
        if (name.isPresent() && version.isPresent()) {
            return List.of("models", name.get(), version.get());
        }
        String path = uri.replaceFirst("(?i)^runs:/+", "");
        int slash = path.indexOf('/');
        return slash < 0
                ? List.of("runs", path, "_root")
                : List.of("runs", path.substring(0, slash), path.substring(slash + 1));
    }

    private static Optional<String> text(JsonNode node, String field) {
        return node.hasNonNull(field) ? Optional.of(node.path(field).asText()) : Optional.empty();
    }
}
