package io.axle.data.workspace;

import static java.util.Objects.requireNonNull;

import java.util.OptionalInt;

/**
 * The hash to record for lineage: a file's md5 or a directory's {@code ....dir} hash, its size and (directories) file
 * count. It is what {@code dvc add} would write to the {@code .dvc} file for the same bytes.
 */
public record Digest(String path, String md5, long size, OptionalInt nfiles) {
    public Digest {
        requireNonNull(path, "path is null");
        requireNonNull(md5, "md5 is null");
        requireNonNull(nfiles, "nfiles is null");
    }
}
