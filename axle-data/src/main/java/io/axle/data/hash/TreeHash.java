package io.axle.data.hash;

import static java.util.Objects.requireNonNull;

/** A directory's hash: its manifest, the {@code .dir} hash, and the total size and count DVC records. */
public record TreeHash(DirManifest manifest, String md5, long size, int nfiles) {
    public TreeHash {
        requireNonNull(manifest, "manifest is null");
        requireNonNull(md5, "md5 is null");
    }
}
