package io.axle.server.artifacts;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** A run's artifacts under a path: files named relative to the run's artifact root {@code rootUri}. */
public record RunArtifactList(String rootUri, List<FileInfo> files) {
    public RunArtifactList {
        requireNonNull(rootUri, "rootUri is null");
        files = List.copyOf(files);
    }
}
