package io.axle.data.workspace;

import static java.util.Objects.requireNonNull;

import java.util.OptionalInt;

/** An output's hash as a lock file records it: md5 (with {@code .dir} for a directory), size, nfiles, isexec. */
public record OutputRecord(String md5, long size, OptionalInt nfiles, boolean executable) {
    public OutputRecord {
        requireNonNull(md5, "md5 is null");
        requireNonNull(nfiles, "nfiles is null");
    }

    public boolean isDirectory() {
        return nfiles.isPresent();
    }
}
