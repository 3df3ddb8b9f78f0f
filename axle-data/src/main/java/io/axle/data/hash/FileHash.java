package io.axle.data.hash;

import static java.util.Objects.requireNonNull;

/** A file's hash as a {@code .dvc} out records it. */
public record FileHash(String md5, long size, boolean executable) {
    public FileHash {
        requireNonNull(md5, "md5 is null");
    }
}
