package io.axle.data.remote;

import static java.util.Objects.requireNonNull;

import io.axle.data.hash.HashName;

/**
 * An object an output needs: a file's md5 or a directory's {@code .dir} and each of its files. {@code name} is how DVC
 * shows it ({@code data}, {@code data/part-1}); {@code remote} is the output's own {@code remote:} when it has one.
 */
record UsedObject(HashName hashName, String md5, String name, java.util.Optional<String> remote) {
    UsedObject {
        requireNonNull(hashName, "hashName is null");
        requireNonNull(md5, "md5 is null");
        requireNonNull(name, "name is null");
        requireNonNull(remote, "remote is null");
    }

    /** The same object on the same remote: what a transfer or a check is done once for. */
    String transferKey() {
        return remote.orElse("") + ":" + hashName.dvcName() + ":" + md5;
    }

    boolean isManifest() {
        return md5.endsWith(".dir");
    }
}
