package io.axle.storage;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Where Axle keeps artifacts, models and data: a flat space of {@link BlobKey}s, each naming a blob of bytes, with
 * "directories" implied by the {@code /} in keys (as in S3). Bytes stream in and out; no implementation holds a
 * whole blob in memory. A blob is written whole or not at all: a reader sees the old version or the new one, and a
 * failed or interrupted write leaves nothing under the key. Failures are {@link io.axle.common.AxleException}s:
 * {@code RESOURCE_DOES_NOT_EXIST} for a missing blob, {@code INVALID_PARAMETER_VALUE} for a key the store refuses,
 * {@code RESOURCE_CONFLICT} where a key would be both a blob and a directory in a store that has directories (S3 has
 * none, and takes both), {@code IO_ERROR} for the store's faults.
 */
public interface BlobStore extends AutoCloseable {
    /**
     * Stores the bytes of {@code content}, read to its end (and not closed), under {@code key}, replacing any blob
     * there.
     */
    BlobInfo put(BlobKey key, InputStream content);

    /**
     * As {@link #put(BlobKey, InputStream)} when the size is known beforehand; stores nothing unless {@code content}
     * yields exactly {@code contentLength} bytes.
     */
    BlobInfo put(BlobKey key, InputStream content, long contentLength);

    /** Opens a blob for reading. */
    BlobContent open(BlobKey key);

    /** The blob under {@code key}; empty when there is none (a directory is not a blob). */
    Optional<BlobInfo> stat(BlobKey key);

    /**
     * The blobs and directories one level under {@code directory} ({@link BlobKey#ROOT} for the top), sorted by key;
     * empty when nothing lies under it.
     */
    List<BlobEntry> list(BlobKey directory);

    /**
     * Copies the blob under {@code source} to {@code target}, replacing any blob there; a store that can copy
     * without moving the bytes through this process (S3's server-side copy) overrides this.
     */
    default BlobInfo copy(BlobKey source, BlobKey target) {
        try (BlobContent content = open(source)) {
            return put(target, content.stream(), content.info().size());
        }
    }

    /** Multipart uploads straight to the store, for a store that takes them (S3); empty for others. */
    default Optional<MultipartUploads> multipartUploads() {
        return Optional.empty();
    }

    /** Deletes one blob; false when there was none. */
    boolean delete(BlobKey key);

    /** Deletes every blob under {@code prefix} (not a blob named {@code prefix} itself); returns how many. */
    long deletePrefix(BlobKey prefix);

    /** Releases what the store holds open (connections); a store that holds nothing open does nothing. */
    @Override
    default void close() {}
}
