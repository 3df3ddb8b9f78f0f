package io.axle.data.remote;

import static java.util.Objects.requireNonNull;

import io.axle.data.cache.Cache;
import io.axle.data.dvcfile.DvcFile;
import io.axle.data.hash.HashName;
import io.axle.data.repo.DataException;
import io.axle.data.workspace.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code dvc gc}: removes from the cache (and with a remote, from it too) every object that no {@code .dvc} or {@code
 * dvc.lock} file names in the workspace, or at the head of any branch or tag when the scope says so. Git is read with
 * {@code git ls-tree} and {@code git show}, so no branch is checked out.
 */
public final class GarbageCollector {
    private static final Pattern PREFIX = Pattern.compile("[0-9a-f]{2}");
    private static final Pattern REST = Pattern.compile("[0-9a-f]{30}(\\.dir)?");

    private final Workspace workspace;
    private final Cache cache;

    public GarbageCollector(Workspace workspace) {
        this.workspace = requireNonNull(workspace, "workspace is null");
        this.cache = workspace.cache();
    }

    /** The check {@code gc} makes first, so the CLI can refuse before it asks anything. */
    public static void requireScope(GcScope scope) {
        if (!scope.isSet()) {
            throw new DataException(
                    DataException.Kind.OTHER,
                    "Either of `-w|--workspace`, `-a|--all-branches`, `-T|--all-tags` needs to be set.");
        }
    }

    public GcReport collect(GcScope scope, Optional<Remote> remote, int jobs) {
        requireScope(scope);
        UsedHashes used = used(scope, remote);
        if (remote.isPresent() && !used.unreadableManifests().isEmpty()) {
            throw DataException.failed("the manifests of directories in use are neither in the cache nor on remote '"
                    + remote.get().name() + "': " + String.join(", ", used.unreadableManifests())
                    + "; nothing was removed, as their files could not be told apart from unused ones");
        }
        int fromCache = 0;
        for (HashName hashName : HashName.values()) {
            for (Path object : cacheObjects(hashName)) {
                String md5 = object.getParent().getFileName().toString() + object.getFileName();
                if (!used.contains(hashName, md5)) {
                    delete(object);
                    fromCache++;
                }
            }
        }
        int fromRemote = 0;
        if (remote.isPresent()) {
            for (HashName hashName : HashName.values()) {
                List<String> unused = remote.get().listAll(hashName).stream()
                        .filter(md5 -> REST.matcher(md5.substring(2)).matches())
                        .filter(md5 -> !used.contains(hashName, md5))
                        .toList();
                List<Parallel.Failure<String>> failures =
                        Parallel.forEach(unused, jobs, md5 -> remote.get().delete(hashName, md5));
                if (!failures.isEmpty()) {
                    throw DataException.failed("failed to remove " + failures.size() + " objects from remote '"
                            + remote.get().name() + "': "
                            + failures.getFirst().cause().getMessage());
                }
                fromRemote += unused.size();
            }
        }
        return new GcReport(used.size(), fromCache, fromRemote);
    }

    /** Every object named in the scope. */
    UsedHashes used(GcScope scope, Optional<Remote> remote) {
        UsedHashes used = new UsedHashes(cache, remote);
        for (DvcFile file : workspace.dvcFiles()) {
            used.addDvcFile(file);
        }
        Path lock = workspace.repo().root().resolve("dvc.lock");
        if (Files.isRegularFile(lock)) {
            try {
                used.addLockFile(Files.readAllBytes(lock), lock.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<String> revisions = new ArrayList<>();
        GitRevisions git = new GitRevisions(workspace.repo().root());
        if (scope.allBranches()) {
            revisions.addAll(git.heads("refs/heads/"));
        }
        if (scope.allTags()) {
            revisions.addAll(git.heads("refs/tags/"));
        }
        for (String revision : revisions.stream().distinct().toList()) {
            for (String path : git.files(revision)) {
                if (!UsedHashes.isMetafile(path)) {
                    continue;
                }
                byte[] content = git.show(revision, path);
                if (path.endsWith(DvcFile.SUFFIX)) {
                    DvcFile file = DvcFile.parse(workspace.repo().root().resolve(path), content);
                    used.addDvcFile(file);
                } else {
                    used.addLockFile(content, revision + ":" + path);
                }
            }
        }
        return used;
    }

    /** The objects of one layout in the cache; temporary files and anything else are not objects. */
    private List<Path> cacheObjects(HashName hashName) {
        Path base = switch (hashName) {
            case MD5 -> cache.root().resolve("files").resolve("md5");
            case MD5_DOS2UNIX -> cache.root();
        };
        List<Path> objects = new ArrayList<>();
        if (!Files.isDirectory(base)) {
            return objects;
        }
        try (Stream<Path> prefixes = Files.list(base)) {
            for (Path prefix : prefixes.toList()) {
                if (!Files.isDirectory(prefix)
                        || !PREFIX.matcher(prefix.getFileName().toString()).matches()) {
                    continue;
                }
                try (Stream<Path> files = Files.list(prefix)) {
                    files.filter(file ->
                                    REST.matcher(file.getFileName().toString()).matches())
                            .forEach(objects::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    private static void delete(Path object) {
        try {
            Files.deleteIfExists(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
