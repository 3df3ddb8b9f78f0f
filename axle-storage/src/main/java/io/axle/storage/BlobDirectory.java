package io.axle.storage;

import static java.util.Objects.requireNonNull;

/** A "directory" in a listing: a key that other keys lie under (a common prefix, in S3's terms). */
public record BlobDirectory(BlobKey key) implements BlobEntry {
    public BlobDirectory {
        requireNonNull(key, "key is null");
    }
}
