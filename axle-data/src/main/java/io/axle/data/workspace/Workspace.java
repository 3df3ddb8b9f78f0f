package io.axle.data.workspace;

import static java.util.Objects.requireNonNull;

import io.axle.data.cache.Cache;
import io.axle.data.cache.CacheLinker;
import io.axle.data.cache.LinkType;
import io.axle.data.cache.ObjectId;
import io.axle.data.dvcfile.DvcFile;
import io.axle.data.dvcfile.Output;
import io.axle.data.hash.DirManifest;
import io.axle.data.hash.FileHash;
import io.axle.data.hash.HashName;
import io.axle.data.hash.Hasher;
import io.axle.data.hash.Md5Reader;
import io.axle.data.hash.Progress;
import io.axle.data.hash.StateCache;
import io.axle.data.hash.TreeHash;
import io.axle.data.repo.DataException;
import io.axle.data.repo.DvcIgnore;
import io.axle.data.repo.DvcRepo;
import io.axle.data.repo.GitCli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The workspace side of a DVC repository: {@code add}, {@code status}, {@code commit}, {@code checkout} and {@code
 * digest}. Close it to save the hash state, so the next command does not hash unchanged files again.
 */
public final class Workspace implements AutoCloseable {
    /** What a killed checkout leaves beside a file ({@code name.<uuid>.tmp}): never user data, so never kept. */
    private static final java.util.regex.Pattern LEFTOVER =
            java.util.regex.Pattern.compile(".*\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.tmp");

    private final DvcRepo repo;
    private final Cache cache;
    private final CacheLinker linker;
    private final DvcIgnore ignore;
    private final StateCache state;
    private final Hasher hasher;

    public Workspace(DvcRepo repo, Progress progress) {
        this.repo = requireNonNull(repo, "repo is null");
        this.cache = repo.cache();
        this.linker = repo.linker();
        this.ignore = repo.ignore();
        this.state = repo.openState();
        this.hasher = new Hasher(state, requireNonNull(progress, "progress is null"));
    }

    public DvcRepo repo() {
        return repo;
    }

    public Cache cache() {
        return cache;
    }

    /** The hasher this workspace uses (with its state cache), for callers that hash outputs themselves. */
    public Hasher hasher() {
        return hasher;
    }

    /** Every {@code .dvc} file in the workspace, skipping {@code .git}, {@code .dvc}, ignored paths and outputs. */
    public List<DvcFile> dvcFiles() {
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(repo.root(), new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    if (dir.equals(repo.root())) {
                        return FileVisitResult.CONTINUE;
                    }
                    // a directory with a data.dvc beside it is tracked data: thousands of files, no .dvc files
                    boolean output = Files.isRegularFile(dir.resolveSibling(dir.getFileName() + DvcFile.SUFFIX));
                    return output || ignore.test(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile()
                            && file.getFileName().toString().endsWith(DvcFile.SUFFIX)
                            && !ignore.test(file)) {
                        found.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        found.sort(Comparator.comparing(path -> repo.relative(path), io.axle.data.hash.DirManifest.CODE_POINT_ORDER));
        return found.stream().map(DvcFile::load).toList();
    }

    /**
     * The {@code .dvc} files named by {@code targets}: a {@code .dvc} file itself, or an output (its {@code .dvc}
     * beside it); all of them when {@code targets} is empty.
     */
    public List<DvcFile> resolve(List<Path> targets) {
        if (targets.isEmpty()) {
            return dvcFiles();
        }
        Set<Path> files = new LinkedHashSet<>();
        for (Path target : targets) {
            Path absolute = target.toAbsolutePath().normalize();
            if (absolute.getFileName() != null
                    && absolute.getFileName().toString().endsWith(DvcFile.SUFFIX)) {
                if (!Files.isRegularFile(absolute)) {
                    throw DataException.failed("'" + target + "' does not exist");
                }
                files.add(absolute);
            } else if (Files.isRegularFile(DvcFile.pathFor(absolute))) {
                files.add(DvcFile.pathFor(absolute));
            } else {
                Path tracking = trackingFile(absolute)
                        .orElseThrow(() ->
                                DataException.failed("'" + target + "' does not exist as an output or a .dvc file"));
                files.add(tracking);
            }
        }
        return files.stream().map(DvcFile::load).toList();
    }

    // ---- add ----

    /** {@code dvc add}: hashes each target, saves it to the cache and writes {@code target.dvc} and a .gitignore entry. */
    public List<Path> add(List<Path> targets) {
        if (targets.isEmpty()) {
            throw DataException.badArguments("add needs at least one path");
        }
        GitCli git = new GitCli(repo.root());
        List<Path> outputs = new ArrayList<>();
        for (Path target : targets) {
            outputs.add(checkAddable(target, git));
        }
        // many files (add *.csv) are hashed and saved in parallel; the .dvc and .gitignore writes stay in order
        Map<Path, FileHash> hashed = new ConcurrentHashMap<>();
        List<Path> files =
                outputs.stream().filter(path -> !Files.isDirectory(path)).toList();
        if (files.size() > 1) {
            hasher.forEachParallel(files, path -> hashed.put(path, hasher.hashFile(path, cache::saveFileHashing)));
        }
        List<Path> written = new ArrayList<>();
        for (Path output : outputs) {
            Path dvcPath = DvcFile.pathFor(output);
            DvcFile file = Files.exists(dvcPath)
                    ? DvcFile.load(dvcPath)
                    : DvcFile.create(dvcPath, output.getFileName().toString());
            int index = file.outs().stream()
                    .filter(out -> file.outputPath(out).equals(output))
                    .mapToInt(Output::index)
                    .findFirst()
                    .orElseThrow(() -> DataException.failed("'" + repo.relative(dvcPath)
                            + "' exists and does not track '" + repo.relative(output) + "'; remove it first"));
            save(file, index, output, Optional.ofNullable(hashed.get(output)));
            file.save();
            if (git.present()) {
                GitIgnores.ignore(output);
            }
            written.add(dvcPath);
        }
        return written;
    }

    private Path checkAddable(Path target, GitCli git) {
        Path output = target.toAbsolutePath().normalize();
        if (!output.startsWith(repo.root()) || output.equals(repo.root())) {
            throw DataException.failed("'" + target + "' is outside of the DVC repository '" + repo.root() + "'");
        }
        if (!Files.exists(output, LinkOption.NOFOLLOW_LINKS)) {
            throw DataException.failed("'" + target + "' does not exist");
        }
        String name = output.getFileName().toString();
        if (name.endsWith(DvcFile.SUFFIX) || ignore.test(output)) {
            throw DataException.failed("'" + target + "' is a .dvc file, inside .dvc/.git, or ignored by .dvcignore");
        }
        Optional<Path> overlapping = trackingFile(output.getParent())
                .or(() -> trackingFile(output).filter(dvc -> !dvc.equals(DvcFile.pathFor(output))));
        if (overlapping.isPresent()) {
            throw DataException.failed("Cannot add '" + repo.relative(output)
                    + "', because it is overlapping with other DVC tracked output in '"
                    + repo.relative(overlapping.get()) + "'");
        }
        if (!Files.isDirectory(output) && git.tracks(output)) {
            throw DataException.failed("output '" + repo.relative(output) + "' is already tracked by SCM (e.g. Git)."
                    + " Run 'git rm -r --cached " + repo.relative(output) + "' to stop tracking it there.");
        }
        return output;
    }

    /** The {@code .dvc} file tracking {@code path} or a directory above it (only {@code x.dvc} beside each). */
    private Optional<Path> trackingFile(Path path) {
        for (Path current = path;
                current != null && current.startsWith(repo.root()) && !current.equals(repo.root());
                current = current.getParent()) {
            Path dvc = DvcFile.pathFor(current);
            if (Files.isRegularFile(dvc)) {
                return Optional.of(dvc);
            }
        }
        return Optional.empty();
    }

    /**
     * Hashes {@code output}, saves its objects to the cache and records the hash in out {@code index}. A file the state
     * cache does not know is hashed while it is copied into the cache, so new data is read once.
     */
    private void save(DvcFile file, int index, Path output, Optional<FileHash> alreadyHashed) {
        Md5Reader saving = cache::saveFileHashing;
        if (Files.isDirectory(output)) {
            Set<String> saved = ConcurrentHashMap.newKeySet();
            Path root = output.toAbsolutePath().normalize();
            TreeHash tree = hasher.hashTree(root, ignore, (path, progress) -> {
                String md5 = saving.read(path, progress);
                saved.add(path.toString());
                return md5;
            });
            // files the state cache knew were not read: make sure their objects are there too
            List<DirManifest.Entry> entries = tree.manifest().entries();
            boolean relink = linksBack();
            hasher.forEachChunk(entries.size(), (from, to) -> {
                for (int i = from; i < to; i++) {
                    DirManifest.Entry entry = entries.get(i);
                    Path source = root.resolve(entry.relpath());
                    if (!saved.contains(source.toString())) {
                        cache.saveFile(source, entry.md5());
                    }
                    if (relink) {
                        relinkIfLinked(source, entry.md5(), false);
                    }
                }
            });
            cache.saveManifest(tree.manifest());
            file.recordDirectory(index, tree.md5(), tree.size(), tree.nfiles());
        } else {
            FileHash hash = alreadyHashed.orElseGet(() -> hasher.hashFile(output, saving));
            cache.saveFile(output, hash.md5());
            relinkIfLinked(output, hash.md5(), hash.executable());
            file.recordFile(index, hash.md5(), hash.size(), hash.executable());
        }
    }

    /**
     * Hashes a pipeline output or dependency without a {@code .dvc} file (dvc.lock records it instead); with {@code
     * save} its objects go to the cache as {@code add} would put them.
     */
    public OutputRecord record(Path path, boolean save) {
        Path absolute = path.toAbsolutePath().normalize();
        if (Files.isDirectory(absolute)) {
            TreeHash tree = hasher.hashTree(absolute, ignore, HashName.MD5);
            if (save) {
                Map<String, Path> byRelpath = new HashMap<>();
                for (Path each : Hasher.listFiles(absolute, ignore)) {
                    byRelpath.put(Hasher.relpath(absolute, each), each);
                }
                hasher.forEachParallel(tree.manifest().entries(), entry -> {
                    Path source = byRelpath.get(entry.relpath());
                    cache.saveFile(source, entry.md5());
                    relinkIfLinked(source, entry.md5(), false);
                });
                cache.saveManifest(tree.manifest());
            }
            return new OutputRecord(tree.md5(), tree.size(), OptionalInt.of(tree.nfiles()), false);
        }
        FileHash hash = hasher.hashFile(absolute, HashName.MD5);
        if (save) {
            cache.saveFile(absolute, hash.md5());
            relinkIfLinked(absolute, hash.md5(), hash.executable());
        }
        return new OutputRecord(hash.md5(), hash.size(), OptionalInt.empty(), hash.executable());
    }

    /** Adds the {@code .gitignore} entry DVC writes for a cached output; true if a {@code .gitignore} changed. */
    public boolean gitIgnore(Path output) {
        return new GitCli(repo.root()).present()
                && GitIgnores.ignore(output.toAbsolutePath().normalize());
    }

    /** With hardlinks or symlinks first in {@code cache.type}, the workspace file becomes a link, as in DVC. */
    /** Whether saved files are linked back from the cache (hardlink or symlink first), not left where they are. */
    private boolean linksBack() {
        LinkType first = linker.order().getFirst();
        return first == LinkType.HARDLINK || first == LinkType.SYMLINK;
    }

    private void relinkIfLinked(Path workspaceFile, String md5, boolean executable) {
        if (linksBack()) {
            Path object = cache.objectPath(md5);
            if (!CacheLinker.isLinkedTo(workspaceFile, object)) {
                linker.link(object, workspaceFile, executable);
            }
        }
    }

    // ---- status ----

    /** {@code dvc status} without {@code -c}: each output of {@code targets} (all when empty) against its record. */
    public StatusReport status(List<Path> targets) {
        record Tracked(DvcFile file, Output out) {}
        List<Tracked> tracked = new ArrayList<>();
        for (DvcFile file : resolve(targets)) {
            file.outs().stream().filter(Output::cached).forEach(out -> tracked.add(new Tracked(file, out)));
        }
        Map<Tracked, Optional<OutputState>> states = new ConcurrentHashMap<>();
        // many single-file .dvc files hash in parallel; a directory parallelises inside itself, on the same threads
        List<Tracked> files = tracked.stream()
                .filter(each -> !Files.isDirectory(each.file().outputPath(each.out())))
                .toList();
        hasher.forEachParallel(files, each -> states.put(each, outputState(each.file(), each.out())));
        List<OutputStatus> changes = new ArrayList<>();
        for (Tracked each : tracked) {
            Optional<OutputState> state = states.computeIfAbsent(each, key -> outputState(key.file(), key.out()));
            state.ifPresent(value -> changes.add(new OutputStatus(
                    repo.relative(each.file().path()), repo.relative(each.file().outputPath(each.out())), value)));
        }
        return new StatusReport(changes);
    }

    private Optional<OutputState> outputState(DvcFile file, Output out) {
        Path path = file.outputPath(out);
        if (!Files.exists(path)) {
            return Optional.of(OutputState.DELETED);
        }
        if (out.md5().isEmpty()) {
            return Optional.of(OutputState.NEW);
        }
        String recorded = out.md5().get();
        if (!currentHash(path, out.hashName()).equals(recorded)) {
            return Optional.of(OutputState.MODIFIED);
        }
        return inCache(out.hashName(), recorded) ? Optional.empty() : Optional.of(OutputState.NOT_IN_CACHE);
    }

    /** The hash {@code path} has now, with the hash DVC used to record it. */
    public String currentHash(Path path, HashName hashName) {
        return Files.isDirectory(path)
                ? hasher.treeMd5(path, ignore, hashName)
                : hasher.hashFile(path, hashName).md5();
    }

    /**
     * Whether the cache holds the object and, for a directory, every file it lists. A directory found complete is
     * remembered with the mtimes of the cache's 256 prefix directories: removing any object changes its prefix
     * directory's mtime, so while none changed, the answer stands without a stat per object.
     */
    public boolean inCache(HashName hashName, String md5) {
        if (!md5.endsWith(".dir")) {
            return cache.contains(hashName, md5);
        }
        if (!cache.contains(hashName, md5)) {
            return false;
        }
        long startNanos = System.currentTimeMillis() * 1_000_000L;
        Cache.PrefixStamp stamp = cache.prefixStamp(hashName);
        if (state.lookupComplete(cache.root(), hashName, md5, stamp.fingerprint())) {
            return true;
        }
        boolean complete = allInCache(hashName, md5);
        if (complete && stamp.newestNanos() < startNanos - Hasher.TIMESTAMP_GRANULARITY_NANOS) {
            state.recordComplete(cache.root(), hashName, md5, stamp.fingerprint());
        }
        return complete;
    }

    private boolean allInCache(HashName hashName, String md5) {
        Optional<DirManifest> manifest = cache.readManifest(hashName, md5);
        if (manifest.isEmpty()) {
            return false;
        }
        List<DirManifest.Entry> entries = manifest.get().entries();
        java.util.concurrent.atomic.AtomicBoolean complete = new java.util.concurrent.atomic.AtomicBoolean(true);
        hasher.forEachChunk(entries.size(), (from, to) -> {
            for (int i = from; i < to && complete.get(); i++) {
                if (!cache.contains(hashName, entries.get(i).md5())) {
                    complete.set(false);
                }
            }
        });
        return complete.get();
    }

    /**
     * The cache objects the outputs of {@code targets} (all when empty) need: each file's object, each directory's
     * {@code .dir} object and, where the manifest is in the local cache, the objects it lists. For push, fetch and gc;
     * a fetch reads the manifests it downloads for the rest.
     */
    public java.util.Set<ObjectId> usedObjects(List<Path> targets) {
        java.util.Set<ObjectId> used = new LinkedHashSet<>();
        for (DvcFile file : resolve(targets)) {
            for (Output out : file.outs()) {
                if (!out.cached() || out.md5().isEmpty()) {
                    continue;
                }
                ObjectId id = new ObjectId(out.hashName(), out.md5().get());
                used.add(id);
                if (id.isDirectory()) {
                    cache.readManifest(id.hashName(), id.md5())
                            .ifPresent(manifest -> manifest.entries()
                                    .forEach(entry -> used.add(new ObjectId(id.hashName(), entry.md5()))));
                }
            }
        }
        return used;
    }

    // ---- commit ----

    /** {@code dvc commit}: records the outputs' current content and saves it to the cache. */
    public List<Path> commit(List<Path> targets) {
        List<Path> committed = new ArrayList<>();
        for (DvcFile file : resolve(targets)) {
            for (Output out : file.outs()) {
                Path path = file.outputPath(out);
                if (!out.cached()) {
                    continue;
                }
                if (!Files.exists(path)) {
                    throw DataException.failed("output '" + repo.relative(path) + "' does not exist");
                }
                // an output as recorded and whole in the cache has nothing to commit: the status check is the
                // remembered tree hash, where saving would look up every file
                boolean unchanged = out.hashName() == HashName.MD5
                        && out.md5().isPresent()
                        && outputState(file, out).isEmpty();
                if (!unchanged) {
                    save(file, out.index(), path, Optional.empty());
                }
            }
            file.save();
            committed.add(file.path());
        }
        return committed;
    }

    // ---- checkout ----

    /**
     * {@code dvc checkout}: puts each output's recorded content into the workspace. A file whose content is neither
     * the recorded one nor saved in the cache is not overwritten unless {@code force}; nothing is changed for an
     * output with such a file. Outputs whose objects are missing are listed in the failure at the end.
     */
    public CheckoutReport checkout(List<Path> targets, boolean force) {
        List<String> added = new ArrayList<>();
        List<String> modified = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> unsaved = new ArrayList<>();
        for (DvcFile file : resolve(targets)) {
            for (Output out : file.outs()) {
                if (!out.cached() || out.md5().isEmpty()) {
                    continue;
                }
                Path path = file.outputPath(out);
                String shown = repo.relative(path);
                boolean existed = Files.exists(path, LinkOption.NOFOLLOW_LINKS);
                boolean changed;
                try {
                    changed = out.isDirectory()
                            ? checkoutDirectory(out, path, force, unsaved)
                            : checkoutFile(out, path, force, unsaved);
                } catch (MissingObjectException e) {
                    missing.add(shown);
                    continue;
                }
                if (changed) {
                    (existed ? modified : added).add(shown + (out.isDirectory() ? "/" : ""));
                }
            }
        }
        if (!unsaved.isEmpty()) {
            throw DataException.failed("these files have changes that are not in the cache and were not overwritten: "
                    + String.join(", ", unsaved)
                    + ". Use --force to discard them, or 'axle data commit' to keep them.");
        }
        if (!missing.isEmpty()) {
            throw DataException.failed("Checkout failed for following targets:\n" + String.join("\n", missing)
                    + "\nIs your cache up to date?");
        }
        return new CheckoutReport(added, modified, deleted);
    }

    private boolean checkoutFile(Output out, Path path, boolean force, List<String> unsaved) {
        String md5 = out.md5().orElseThrow();
        Path object = cache.find(out.hashName(), md5).orElseThrow(MissingObjectException::new);
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            if (!force) {
                unsaved.add(repo.relative(path) + "/");
                return false;
            }
            deleteTree(path);
        } else if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            if (upToDate(path, out.hashName(), md5, object, out.executable())) {
                return false;
            }
            if (!force && !saved(path)) {
                unsaved.add(repo.relative(path));
                return false;
            }
        }
        linker.link(object, path, out.executable());
        hasher.remember(path, out.hashName(), md5);
        return true;
    }

    private boolean checkoutDirectory(Output out, Path directory, boolean force, List<String> unsaved) {
        HashName hashName = out.hashName();
        DirManifest manifest =
                cache.readManifest(hashName, out.md5().orElseThrow()).orElseThrow(MissingObjectException::new);
        Map<String, Path> objects = new HashMap<>();
        for (DirManifest.Entry entry : manifest.entries()) {
            objects.put(entry.relpath(), cache.find(hashName, entry.md5()).orElseThrow(MissingObjectException::new));
        }
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            if (!force && !saved(directory)) {
                unsaved.add(repo.relative(directory));
                return false;
            }
            try {
                Files.delete(directory);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Map<String, Path> existing = new HashMap<>();
        if (Files.isDirectory(directory)) {
            for (Path each : Hasher.listFiles(directory, ignore)) {
                existing.put(Hasher.relpath(directory, each), each);
            }
        }
        Map<String, DirManifest.Entry> wanted = new HashMap<>();
        manifest.entries().forEach(entry -> wanted.put(entry.relpath(), entry));
        // plan first: an output with one unsaved file is left entirely as it is
        List<DirManifest.Entry> toLink = new ArrayList<>();
        List<Path> toDelete = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        Set<String> same = ConcurrentHashMap.newKeySet();
        Set<String> replaceable = ConcurrentHashMap.newKeySet();
        hasher.forEachParallel(new ArrayList<>(existing.keySet()), relpath -> {
            DirManifest.Entry entry = wanted.get(relpath);
            Path file = existing.get(relpath);
            if (entry != null && upToDate(file, hashName, entry.md5(), objects.get(relpath), false)) {
                same.add(relpath);
            } else if (force || LEFTOVER.matcher(relpath).matches() || saved(file)) {
                replaceable.add(relpath);
            }
        });
        for (DirManifest.Entry entry : manifest.entries()) {
            if (!same.contains(entry.relpath())) {
                toLink.add(entry);
            }
        }
        for (Map.Entry<String, Path> file : existing.entrySet()) {
            if (same.contains(file.getKey())) {
                continue;
            }
            if (!replaceable.contains(file.getKey())) {
                conflicts.add(repo.relative(file.getValue()));
            } else if (!wanted.containsKey(file.getKey())) {
                toDelete.add(file.getValue());
            }
        }
        if (!conflicts.isEmpty()) {
            conflicts.sort(DirManifest.CODE_POINT_ORDER);
            unsaved.addAll(conflicts);
            return false;
        }
        hasher.forEachChunk(toLink.size(), (from, to) -> {
            for (int i = from; i < to; i++) {
                DirManifest.Entry entry = toLink.get(i);
                Path target = directory.resolve(entry.relpath());
                linker.link(objects.get(entry.relpath()), target, false);
                hasher.remember(target, hashName, entry.md5());
            }
        });
        for (Path file : toDelete) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!Files.exists(directory)) {
            try {
                // an empty directory is still an output DVC checks out
                Files.createDirectories(directory);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return true;
        }
        return !toLink.isEmpty() || !toDelete.isEmpty();
    }

    /** Whether the workspace file already holds the object (by link, or by hash) with the right exec bit. */
    private boolean upToDate(Path file, HashName hashName, String md5, Path object, boolean executable) {
        if (CacheLinker.isLinkedTo(file, object)) {
            return true;
        }
        if (!hasher.hashFile(file, hashName).md5().equals(md5)) {
            return false;
        }
        return !executable || Files.isExecutable(file);
    }

    /** Whether the bytes of {@code path} are in the cache, so replacing it loses nothing. */
    private boolean saved(Path path) {
        if (Files.isDirectory(path)) {
            return false;
        }
        String md5 = hasher.hashFile(path, HashName.MD5).md5();
        return cache.contains(HashName.MD5, md5)
                || cache.contains(
                        HashName.MD5_DOS2UNIX,
                        hasher.hashFile(path, HashName.MD5_DOS2UNIX).md5());
    }

    private static void deleteTree(Path directory) {
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- digest ----

    /**
     * The md5 to record for lineage. For a {@code .dvc} file, what it records for each output (no hashing); for a
     * file or directory, its hash now, as {@code dvc add} would record it.
     */
    public List<Digest> digest(Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        if (absolute.getFileName().toString().endsWith(DvcFile.SUFFIX) && Files.isRegularFile(absolute)) {
            DvcFile file = DvcFile.load(absolute);
            return file.outs().stream()
                    .map(out -> new Digest(
                            repo.relative(file.outputPath(out)),
                            out.md5()
                                    .orElseThrow(() -> DataException.failed("'" + target + "' records no md5 for '"
                                            + out.path() + "'; run 'axle data commit' first")),
                            out.size().orElse(0),
                            out.nfiles().isPresent()
                                    ? OptionalInt.of((int) out.nfiles().getAsLong())
                                    : OptionalInt.empty()))
                    .toList();
        }
        return List.of(digestPath(hasher, ignore, absolute, repo.relative(absolute)));
    }

    /** The hash of a file or directory outside any repository, with no state kept. */
    public static Digest digestOutsideRepository(Path target, Progress progress) {
        Path absolute = target.toAbsolutePath().normalize();
        try (Hasher hasher = new Hasher(StateCache.inMemory(), progress)) {
            return digestPath(hasher, DvcIgnore.parse(absolute, List.of()), absolute, target.toString());
        }
    }

    private static Digest digestPath(Hasher hasher, DvcIgnore ignore, Path path, String shown) {
        if (!Files.exists(path)) {
            throw DataException.failed("'" + shown + "' does not exist");
        }
        if (Files.isDirectory(path)) {
            TreeHash tree = hasher.hashTree(path, ignore, HashName.MD5);
            return new Digest(shown, tree.md5(), tree.size(), OptionalInt.of(tree.nfiles()));
        }
        FileHash hash = hasher.hashFile(path, HashName.MD5);
        return new Digest(shown, hash.md5(), hash.size(), OptionalInt.empty());
    }

    /** Saves the hash state; the next command answers unchanged files from it. */
    @Override
    public void close() {
        hasher.close();
        state.save();
    }

    /** An object the cache lacks: the output is listed as failed and the others still check out. */
    private static final class MissingObjectException extends RuntimeException {
        MissingObjectException() {
            super(null, null, false, false);
        }
    }
}
