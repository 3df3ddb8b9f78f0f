package io.axle.data.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.data.cache.Cache;
import io.axle.data.dvcfile.DvcFile;
import io.axle.data.dvcfile.DvcYaml;
import io.axle.data.dvcfile.Output;
import io.axle.data.hash.DirManifest;
import io.axle.data.hash.HashName;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** The objects (as {@code hashName:md5}) that {@code .dvc} files and {@code dvc.lock} files name. */
final class UsedHashes {
    private final Set<String> keys = new HashSet<>();
    private final Set<String> unreadable = new HashSet<>();
    private final Cache cache;
    private final Optional<Remote> remote;

    UsedHashes(Cache cache, Optional<Remote> remote) {
        this.cache = cache;
        this.remote = remote;
    }

    /** The {@code .dir} objects in use whose manifest neither the cache nor the remote holds. */
    Set<String> unreadableManifests() {
        return unreadable;
    }

    static String key(HashName hashName, String md5) {
        return hashName.dvcName() + ":" + md5;
    }

    boolean contains(HashName hashName, String md5) {
        return keys.contains(key(hashName, md5));
    }

    int size() {
        return keys.size();
    }

    void addDvcFile(DvcFile file) {
        for (Output out : file.outs()) {
            if (out.cached()) {
                out.md5().ifPresent(md5 -> add(out.hashName(), md5));
            }
        }
    }

    /** {@code stages.<name>.outs[]} of a dvc.lock: {@code md5} with {@code hash: md5}, or legacy without. */
    void addLockFile(byte[] yaml, String name) {
        ObjectNode root = DvcYaml.parse(yaml, name);
        for (JsonNode stage : root.path("stages")) {
            for (JsonNode out : stage.path("outs")) {
                JsonNode md5 = out.get("md5");
                if (md5 != null && md5.isTextual()) {
                    HashName hashName = Optional.ofNullable(out.get("hash"))
                            .flatMap(hash -> HashName.ofDvcName(hash.asText()))
                            .orElse(HashName.MD5_DOS2UNIX);
                    add(hashName, md5.asText());
                }
            }
        }
    }

    /** An object and, for a directory whose {@code .dir} the cache holds, every file it lists. */
    void add(HashName hashName, String md5) {
        if (!keys.add(key(hashName, md5)) || !md5.endsWith(".dir")) {
            return;
        }
        // without its manifest a directory's files look unused: read it from the remote, or remember the gap
        Optional<DirManifest> manifest =
                cache.readManifest(hashName, md5).or(() -> remote.flatMap(each -> each.readManifest(hashName, md5)));
        if (manifest.isEmpty()) {
            unreadable.add(md5);
            return;
        }
        for (DirManifest.Entry entry : manifest.get().entries()) {
            keys.add(key(hashName, entry.md5()));
        }
    }

    static boolean isMetafile(String path) {
        String name = Path.of(path).getFileName().toString();
        return name.endsWith(DvcFile.SUFFIX) || name.equals("dvc.lock");
    }
}
