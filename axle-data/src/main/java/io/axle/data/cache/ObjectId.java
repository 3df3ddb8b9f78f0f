package io.axle.data.cache;

import static java.util.Objects.requireNonNull;

import io.axle.data.hash.HashName;

/**
 * One cache object: its md5 (a file's, or a directory manifest's {@code ....dir}) and which layout holds it (DVC 3's
 * {@code files/md5/} or DVC 2's top level). Remotes use the same two layouts.
 */
public record ObjectId(HashName hashName, String md5) {
    public ObjectId {
        requireNonNull(hashName, "hashName is null");
        requireNonNull(md5, "md5 is null");
    }

    public boolean isDirectory() {
        return md5.endsWith(".dir");
    }

    /** The object's path below a cache or remote root: {@code files/md5/ab/cdef...} or {@code ab/cdef...}. */
    public String relativePath() {
        String split = md5.substring(0, 2) + "/" + md5.substring(2);
        return switch (hashName) {
            case MD5 -> "files/md5/" + split;
            case MD5_DOS2UNIX -> split;
        };
    }
}
