package io.axle.storage;

/** What a listing shows one level under a key: a blob, or a directory that holds more. */
public sealed interface BlobEntry permits BlobInfo, BlobDirectory {
    BlobKey key();
}
