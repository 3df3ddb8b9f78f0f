package io.axle.data.history;

import static java.util.Objects.requireNonNull;

import io.axle.data.hash.HashName;
import java.util.Optional;

/** A DVC output as a revision records it: repository-relative path, md5 if recorded, and how it was hashed. */
public record TrackedOutput(String path, Optional<String> md5, HashName hashName, boolean executable) {
    public TrackedOutput {
        requireNonNull(path, "path is null");
        requireNonNull(md5, "md5 is null");
        requireNonNull(hashName, "hashName is null");
    }

    public boolean isDirectory() {
        return md5.map(hash -> hash.endsWith(".dir")).orElse(false);
    }
}
