package io.axle.data.remote;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.data.cache.Cache;
import io.axle.data.dvcfile.DvcFile;
import io.axle.data.dvcfile.Output;
import io.axle.data.hash.DirManifest;
import io.axle.data.hash.HashName;
import io.axle.data.hash.Progress;
import io.axle.data.repo.DataException;
import io.axle.data.workspace.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code push}, {@code fetch}, {@code pull} and {@code status -c} between a workspace's cache and a remote; an output
 * with a {@code remote:} of its own goes to that remote, as in DVC. Close it to close the remotes it opened. Transfers
 * run on a pool of {@code jobs} threads. Files go before the {@code .dir} that lists them, so a {@code .dir} on either
 * side means its files made it there too.
 */
public final class DataSync implements AutoCloseable {
    /**
     * Above this many objects to check, the remote's {@code files/md5/<2 chars>} prefixes are listed (256 listings at
     * most, a page per thousand objects) instead of one HEAD or stat per object, as DVC does for large sets: a million
     * objects is then a few thousand requests, not a million.
     */
    static final int LIST_THRESHOLD = 512;

    private final Workspace workspace;
    private final Cache cache;
    private final Remote remote;
    private final int jobs;
    private final Progress progress;
    private final Map<String, String> environment;
    private final Map<String, Remote> opened = new ConcurrentHashMap<>();

    public DataSync(Workspace workspace, Remote remote, int jobs, Progress progress) {
        this(workspace, remote, Map.of(), jobs, progress);
    }

    /** {@code environment} configures the remotes that outputs name ({@code AWS_*} for S3 ones). */
    public DataSync(Workspace workspace, Remote remote, Map<String, String> environment, int jobs, Progress progress) {
        this.environment = Map.copyOf(environment);
        this.workspace = requireNonNull(workspace, "workspace is null");
        this.cache = workspace.cache();
        this.remote = requireNonNull(remote, "remote is null");
        if (jobs < 1) {
            throw DataException.badArguments("jobs must be at least 1, not " + jobs);
        }
        this.jobs = jobs;
        this.progress = requireNonNull(progress, "progress is null");
    }

    /** DVC's default number of transfer threads: four per core. */
    public static int defaultJobs() {
        return 4 * Runtime.getRuntime().availableProcessors();
    }

    // ---- push ----

    /** {@code dvc push}: uploads the objects of {@code targets} (all outputs when empty) that the remote lacks. */
    public SyncReport push(List<Path> targets) {
        List<UsedObject> used = usedObjects(targets, Optional.empty());
        List<UsedObject> local = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Set<String> missingHashes = new HashSet<>();
        for (UsedObject object : used) {
            if (cache.contains(object.hashName(), object.md5())) {
                local.add(object);
            } else if (!remoteHas(object)) {
                missing.add(object.name() + " (" + object.md5() + ")");
                missingHashes.add(object.md5());
            }
        }
        // a .dir on the remote says all its files are there: one whose files are missing stays behind
        local.removeIf(object -> object.isManifest()
                && cache.readManifest(object.hashName(), object.md5())
                        .map(manifest ->
                                manifest.entries().stream().anyMatch(entry -> missingHashes.contains(entry.md5())))
                        .orElse(false));
        Set<UsedObject> onRemote = existing(local);
        List<UsedObject> files = new ArrayList<>();
        List<UsedObject> manifests = new ArrayList<>();
        for (UsedObject object : local) {
            if (!onRemote.contains(object)) {
                (object.isManifest() ? manifests : files).add(object);
            }
        }
        AtomicInteger transferred = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        List<Parallel.Failure<UsedObject>> failures =
                new ArrayList<>(Parallel.forEach(distinct(files), jobs, object -> {
                    upload(object, transferred, bytes);
                }));
        if (failures.isEmpty()) {
            // a .dir only goes up once all its files have
            failures.addAll(Parallel.forEach(distinct(manifests), jobs, object -> upload(object, transferred, bytes)));
        }
        if (!failures.isEmpty()) {
            throw transferFailed("push", "upload", failures);
        }
        return new SyncReport(transferred.get(), bytes.get(), missing);
    }

    private void upload(UsedObject object, AtomicInteger transferred, AtomicLong bytes) {
        Path path = cache.objectPath(object.hashName(), object.md5());
        remoteFor(object).upload(path, object.hashName(), object.md5());
        long size = size(path);
        bytes.addAndGet(size);
        transferred.incrementAndGet();
        progress.bytesHashed(size);
        progress.fileDone();
    }

    private boolean remoteHas(UsedObject object) {
        return remoteFor(object).exists(object.hashName(), object.md5());
    }

    // ---- fetch ----

    /**
     * {@code dvc fetch}: downloads into the cache the objects of {@code targets} that it lacks. Each object is hashed
     * as it arrives and refused if its md5 is not its name; nothing but whole, verified objects enters the cache.
     */
    public SyncReport fetch(List<Path> targets) {
        AtomicInteger transferred = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        List<Parallel.Failure<UsedObject>> failures = new ArrayList<>();
        // the .dir objects first: they say which files a directory needs
        List<UsedObject> manifests = new ArrayList<>();
        for (UsedObject object : outputObjects(targets)) {
            if (object.isManifest() && !cache.contains(object.hashName(), object.md5())) {
                manifests.add(object);
            }
        }
        failures.addAll(Parallel.forEach(distinct(manifests), jobs, object -> download(object, transferred, bytes)));
        List<UsedObject> wanted = new ArrayList<>();
        for (UsedObject object : usedObjects(targets, Optional.empty())) {
            if (!object.isManifest() && !cache.contains(object.hashName(), object.md5())) {
                wanted.add(object);
            }
        }
        failures.addAll(Parallel.forEach(distinct(wanted), jobs, object -> download(object, transferred, bytes)));
        if (!failures.isEmpty()) {
            throw transferFailed("fetch", "download", failures);
        }
        return new SyncReport(transferred.get(), bytes.get(), List.of());
    }

    private void download(UsedObject object, AtomicInteger transferred, AtomicLong bytes) {
        remoteFor(object).download(cache, object.hashName(), object.md5());
        long size = size(cache.objectPath(object.hashName(), object.md5()));
        bytes.addAndGet(size);
        transferred.incrementAndGet();
        progress.bytesHashed(size);
        progress.fileDone();
    }

    // ---- status -c ----

    /** {@code dvc status -c}: each object of {@code targets} that is not in both the cache and the remote. */
    public CloudStatus status(List<Path> targets) {
        List<UsedObject> used = usedObjects(targets, Optional.empty());
        Set<UsedObject> onRemote = existing(used);
        Map<String, String> changes = new LinkedHashMap<>();
        for (UsedObject object : used) {
            boolean local = cache.contains(object.hashName(), object.md5());
            boolean cloud = onRemote.contains(object);
            if (local && !cloud) {
                changes.put(object.name(), "new");
            } else if (!local && cloud) {
                changes.put(object.name(), "deleted");
            } else if (!local) {
                changes.put(object.name(), "missing");
            }
        }
        return new CloudStatus(remote.name(), changes);
    }

    // ---- objects ----

    /** Each output's own object (a file's md5 or a directory's .dir), without the directories' files. */
    private List<UsedObject> outputObjects(List<Path> targets) {
        List<UsedObject> objects = new ArrayList<>();
        for (DvcFile file : workspace.resolve(targets)) {
            for (Output out : file.outs()) {
                if (out.cached() && out.md5().isPresent()) {
                    objects.add(new UsedObject(
                            out.hashName(),
                            out.md5().get(),
                            workspace.repo().relative(file.outputPath(out)),
                            out.remote().filter(name -> !name.equals(remote.name()))));
                }
            }
        }
        return objects;
    }

    /**
     * Every object the outputs of {@code targets} need: each output's object and, for a directory whose {@code .dir}
     * the cache holds, each file it lists.
     */
    List<UsedObject> usedObjects(List<Path> targets, Optional<Cache> manifests) {
        Cache source = manifests.orElse(cache);
        List<UsedObject> objects = new ArrayList<>();
        for (UsedObject object : outputObjects(targets)) {
            if (object.isManifest()) {
                source.readManifest(object.hashName(), object.md5()).ifPresent(manifest -> {
                    for (DirManifest.Entry entry : manifest.entries()) {
                        objects.add(new UsedObject(
                                object.hashName(),
                                entry.md5(),
                                object.name() + "/" + entry.relpath(),
                                object.remote()));
                    }
                });
            }
            objects.add(object);
        }
        return objects;
    }

    /** Which of {@code objects} their remotes hold, remote by remote. */
    Set<UsedObject> existing(Collection<UsedObject> objects) {
        Map<Optional<String>, List<UsedObject>> byRemote = new LinkedHashMap<>();
        for (UsedObject object : objects) {
            byRemote.computeIfAbsent(object.remote(), name -> new ArrayList<>()).add(object);
        }
        Set<UsedObject> found = new HashSet<>();
        byRemote.forEach((name, group) -> found.addAll(existingOn(remoteFor(group.getFirst()), group)));
        return found;
    }

    /** Which of {@code objects} {@code target} holds: a listing of their prefixes for many, a stat each for few. */
    private Set<UsedObject> existingOn(Remote target, List<UsedObject> objects) {
        Set<UsedObject> found = ConcurrentHashMap.newKeySet();
        List<UsedObject> unique = distinct(objects);
        if (unique.size() > LIST_THRESHOLD) {
            Map<HashName, Set<String>> prefixes = new LinkedHashMap<>();
            for (UsedObject object : unique) {
                prefixes.computeIfAbsent(object.hashName(), name -> new HashSet<>())
                        .add(object.md5().substring(0, 2));
            }
            Map<HashName, Set<String>> listed = new ConcurrentHashMap<>();
            List<Map.Entry<HashName, String>> work = new ArrayList<>();
            prefixes.forEach((hashName, set) -> set.forEach(prefix -> work.add(Map.entry(hashName, prefix))));
            rethrowFirst(Parallel.forEach(
                    work,
                    jobs,
                    entry -> listed.computeIfAbsent(entry.getKey(), name -> ConcurrentHashMap.newKeySet())
                            .addAll(target.list(entry.getKey(), entry.getValue()))));
            for (UsedObject object : objects) {
                if (listed.getOrDefault(object.hashName(), Set.of()).contains(object.md5())) {
                    found.add(object);
                }
            }
            return found;
        }
        Set<String> present = ConcurrentHashMap.newKeySet();
        rethrowFirst(Parallel.forEach(unique, jobs, object -> {
            if (target.exists(object.hashName(), object.md5())) {
                present.add(object.transferKey());
            }
        }));
        for (UsedObject object : objects) {
            if (present.contains(object.transferKey())) {
                found.add(object);
            }
        }
        return found;
    }

    /** The remote an object goes to: its output's own, else this sync's. */
    private Remote remoteFor(UsedObject object) {
        return object.remote()
                .map(name -> opened.computeIfAbsent(
                        name, each -> Remote.open(workspace.repo(), Optional.of(each), environment)))
                .orElse(remote);
    }

    @Override
    public void close() {
        opened.values().forEach(Remote::close);
        opened.clear();
    }

    /** One object per hash and remote: two outputs with the same content transfer it once. */
    private static List<UsedObject> distinct(Collection<UsedObject> objects) {
        Map<String, UsedObject> byHash = new LinkedHashMap<>();
        for (UsedObject object : objects) {
            byHash.putIfAbsent(object.transferKey(), object);
        }
        return new ArrayList<>(byHash.values());
    }

    private static <T> void rethrowFirst(List<Parallel.Failure<T>> failures) {
        if (!failures.isEmpty()) {
            Throwable cause = failures.getFirst().cause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(cause);
        }
    }

    private DataException transferFailed(String command, String verb, List<Parallel.Failure<UsedObject>> failures) {
        StringBuilder message = new StringBuilder("failed to " + command + " data "
                + (command.equals("push") ? "to" : "from") + " the cloud - " + failures.size() + " files failed to "
                + verb);
        for (Parallel.Failure<UsedObject> failure : failures.subList(0, Math.min(10, failures.size()))) {
            message.append("\n  ")
                    .append(failure.item().name())
                    .append(" (")
                    .append(failure.item().md5())
                    .append("): ")
                    .append(reason(failure.cause()));
        }
        return new DataException(
                DataException.Kind.COMMAND_FAILED,
                message.toString(),
                failures.getFirst().cause());
    }

    private static String reason(Throwable cause) {
        if (cause instanceof AxleException axle && axle.errorCode() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
            return "not on the remote";
        }
        return String.valueOf(cause.getMessage());
    }

    private static long size(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
