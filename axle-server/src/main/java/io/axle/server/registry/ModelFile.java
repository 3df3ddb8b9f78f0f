package io.axle.server.registry;

import static java.util.Objects.requireNonNull;

/** A file of a version's registry copy: its path within the model directory, size and SHA-256 (hex). */
public record ModelFile(String path, long size, String sha256) {
    public ModelFile {
        requireNonNull(path, "path is null");
        requireNonNull(sha256, "sha256 is null");
    }
}
