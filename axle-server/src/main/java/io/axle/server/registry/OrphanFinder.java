package io.axle.server.registry;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.server.artifacts.ArtifactService;
import io.axle.server.tracking.RunService;
import io.axle.storage.BlobDirectory;
import io.axle.storage.BlobEntry;
import io.axle.storage.BlobInfo;
import io.axle.storage.BlobKey;
import io.axle.storage.BlobStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds what the artifacts destination holds that nothing references: no run's artifact root and no model
 * version's registry copy lies at or under it. These are the bytes "tied to nothing" that a store accumulates.
 */
public final class OrphanFinder {
    private final BlobStore store;
    private final ArtifactService artifacts;
    private final RunService runs;
    private final RegistryService registry;
    private final ModelStorage storage;

    public OrphanFinder(BlobStore store, ArtifactService artifacts, RunService runs, RegistryService registry) {
        this.store = requireNonNull(store, "store is null");
        this.artifacts = requireNonNull(artifacts, "artifacts is null");
        this.runs = requireNonNull(runs, "runs is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.storage = new ModelStorage(store);
    }

    /** A prefix (or a single file) that nothing references, with its size in bytes and number of files. */
    public record Orphan(String path, long size, long files) {
        public Orphan {
            requireNonNull(path, "path is null");
        }
    }

    public record Orphans(List<Orphan> orphans, long totalSize, long totalFiles) {
        public Orphans {
            orphans = List.copyOf(orphans);
        }
    }

    public Orphans find() {
        References referenced = referenced();
        List<Orphan> orphans = new ArrayList<>();
        walk(BlobKey.ROOT, referenced, orphans);
        return new Orphans(
                orphans,
                orphans.stream().mapToLong(Orphan::size).sum(),
                orphans.stream().mapToLong(Orphan::files).sum());
    }

    /** Deletes the given prefixes, each only if it is still an orphan now; returns what was deleted. */
    public List<Orphan> delete(List<String> paths) {
        References referenced = referenced();
        List<BlobKey> keys = paths.stream().map(OrphanFinder::key).toList();
        for (BlobKey key : keys) {
            if (key.isRoot() || isReferenced(key, referenced) || containsReferenced(key, referenced)) {
                throw AxleException.invalidParameter("'" + key.path() + "' is not an orphan: a run or a model "
                        + "version references it or something under it. Nothing was deleted.");
            }
        }
        List<Orphan> deleted = new ArrayList<>();
        for (BlobKey key : keys) {
            Orphan orphan = measure(key);
            if (store.stat(key).isPresent()) {
                store.delete(key);
            } else {
                store.deletePrefix(key);
            }
            deleted.add(orphan);
        }
        return deleted;
    }

    private References referenced() {
        Set<BlobKey> referenced = new HashSet<>();
        for (String uri : runs.allArtifactUris()) {
            try {
                referenced.add(artifacts.locate(uri));
            } catch (AxleException e) {
                // a run whose artifacts live elsewhere references nothing in this store
            }
        }
        registry.storageKeys().forEach(key -> referenced.add(BlobKey.of(key)));
        return References.of(referenced);
    }

    private void walk(BlobKey directory, References referenced, List<Orphan> orphans) {
        for (BlobEntry entry : store.list(directory)) {
            BlobKey key = entry.key();
            if (isReferenced(key, referenced)) {
                continue;
            }
            if (entry instanceof BlobDirectory && containsReferenced(key, referenced)) {
                walk(key, referenced, orphans);
            } else {
                orphans.add(measure(key));
            }
        }
    }

    private Orphan measure(BlobKey key) {
        long size = 0;
        long files = 0;
        for (BlobInfo file : storage.filesOf(key)) {
            size += file.size();
            files++;
        }
        return new Orphan(key.path() + (store.stat(key).isPresent() ? "" : "/"), size, files);
    }

    /** Whether {@code key} is referenced or lies under a referenced key: a walk up its ancestors, not a scan. */
    private static boolean isReferenced(BlobKey key, References references) {
        for (BlobKey at = key; ; at = at.parent().orElseThrow()) {
            if (references.keys().contains(at)) {
                return true;
            }
            if (at.isRoot()) {
                return false;
            }
        }
    }

    private static boolean containsReferenced(BlobKey key, References references) {
        return references.ancestors().contains(key);
    }

    /** The referenced keys, and every key that has a referenced key under it. */
    private record References(Set<BlobKey> keys, Set<BlobKey> ancestors) {
        static References of(Set<BlobKey> keys) {
            Set<BlobKey> ancestors = new HashSet<>();
            for (BlobKey key : keys) {
                for (BlobKey at = key; !at.isRoot(); ) {
                    at = at.parent().orElseThrow();
                    if (!ancestors.add(at)) {
                        break;
                    }
                }
            }
            return new References(keys, ancestors);
        }
    }

    private static BlobKey key(String path) {
        String trimmed = path.replaceFirst("/+$", "");
        return trimmed.isEmpty() ? BlobKey.ROOT : BlobKey.of(trimmed);
    }
}
