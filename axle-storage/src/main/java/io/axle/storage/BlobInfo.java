package io.axle.storage;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** A stored blob: its key, its size in bytes and when it was last written. */
public record BlobInfo(BlobKey key, long size, Instant lastModified) implements BlobEntry {
    public BlobInfo {
        requireNonNull(key, "key is null");
        requireNonNull(lastModified, "lastModified is null");
        if (key.isRoot()) {
            throw new IllegalArgumentException("a blob cannot have the root key");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size is negative: " + size);
        }
    }
}
