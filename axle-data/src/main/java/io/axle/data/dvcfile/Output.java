package io.axle.data.dvcfile;

import static java.util.Objects.requireNonNull;

import io.axle.data.hash.HashName;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One entry of a {@code .dvc} file's {@code outs}, as read. {@code path} is relative to the {@code .dvc} file's
 * {@code wdir} with '/' separators; {@code hashName} is {@link HashName#MD5_DOS2UNIX} when the entry has no
 * {@code hash} key (written by DVC 2 or older).
 */
public record Output(
        int index,
        String path,
        Optional<String> md5,
        OptionalLong size,
        OptionalLong nfiles,
        boolean executable,
        HashName hashName,
        Optional<String> remote,
        boolean cached) {
    public Output {
        requireNonNull(path, "path is null");
        requireNonNull(md5, "md5 is null");
        requireNonNull(size, "size is null");
        requireNonNull(nfiles, "nfiles is null");
        requireNonNull(hashName, "hashName is null");
        requireNonNull(remote, "remote is null");
    }

    public boolean isDirectory() {
        return md5.map(hash -> hash.endsWith(".dir")).orElse(false);
    }
}
