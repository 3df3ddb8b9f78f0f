package io.axle.data.remote;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.data.cache.Cache;
import io.axle.data.cache.CacheLinker;
import io.axle.data.cache.LinkType;
import io.axle.data.dvcfile.Dependency;
import io.axle.data.dvcfile.DvcFile;
import io.axle.data.dvcfile.DvcYaml;
import io.axle.data.dvcfile.Output;
import io.axle.data.hash.DirManifest;
import io.axle.data.hash.HashName;
import io.axle.data.hash.Md5;
import io.axle.data.repo.AtomicFiles;
import io.axle.data.repo.DataException;
import io.axle.data.repo.DvcRepo;
import io.axle.data.repo.RemoteConfig;
import io.axle.data.workspace.GitIgnores;
import io.axle.data.workspace.Workspace;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * {@code dvc get}, {@code dvc import} and {@code dvc update}: data tracked in another Git repository, read from a clone
 * of it at a revision and fetched from that repository's default remote (or, for a repository on this machine, from its
 * own cache). Every object is checked against its md5 on the way in.
 */
public final class Imports {
    private final Path workingDirectory;
    private final Map<String, String> environment;
    private final int jobs;

    /**
     * @param workingDirectory what a relative local repository url is relative to
     * @param environment {@code AWS_*} variables for an S3 remote of the other repository
     */
    public Imports(Path workingDirectory, Map<String, String> environment, int jobs) {
        this.workingDirectory = requireNonNull(workingDirectory, "workingDirectory is null");
        this.environment = Map.copyOf(environment);
        this.jobs = jobs;
    }

    /** What an import or update wrote. */
    public record Imported(Path output, Path dvcFile, String revLock, boolean changed) {}

    /** An output of the other repository, as its {@code .dvc} file or {@code dvc.lock} records it. */
    record SourceOutput(HashName hashName, String md5, OptionalLong size, OptionalLong nfiles, boolean executable) {
        boolean isDirectory() {
            return md5.endsWith(".dir");
        }

        SourceOutput withSize(long newSize, OptionalLong newNfiles) {
            return new SourceOutput(hashName, md5, OptionalLong.of(newSize), newNfiles, executable);
        }
    }

    /** {@code dvc get}: writes {@code path} of the repository at {@code url} to {@code out}; no .dvc file. */
    public Path get(String url, String path, Optional<String> rev, Path out) {
        Path output = out.toAbsolutePath().normalize();
        if (Files.exists(output)) {
            throw DataException.failed("'" + out + "' already exists; remove it or pass another -o");
        }
        Path scratch = scratch();
        try {
            Checkout source = checkout(url, rev, scratch.resolve("repo"));
            Path inGit = source.workingTree().resolve(path).normalize();
            if (inGit.startsWith(source.workingTree())
                    && Files.isRegularFile(inGit)
                    && !Files.isRegularFile(DvcFile.pathFor(inGit))) {
                // a file Git itself tracks is copied as it is, as dvc get does
                copyFile(inGit, output);
                return output;
            }
            Cache cache = new Cache(scratch.resolve("cache"));
            SourceOutput found = fetch(source, url, path, cache);
            materialize(cache, found, output);
            return output;
        } finally {
            deleteTree(scratch);
        }
    }

    /**
     * {@code dvc import}: fetches {@code path} into this repository's cache, checks it out at {@code out} and writes a
     * frozen {@code out.dvc} that records where it came from ({@code deps[].repo}) as DVC 3 does.
     */
    public Imported importData(Workspace workspace, String url, String path, Optional<String> rev, Path out) {
        Path output = out.toAbsolutePath().normalize();
        if (!output.startsWith(workspace.repo().root())
                || output.equals(workspace.repo().root())) {
            throw DataException.failed("'" + out + "' is outside of the DVC repository '"
                    + workspace.repo().root() + "'");
        }
        if (Files.exists(output) || Files.exists(DvcFile.pathFor(output))) {
            throw DataException.failed("'" + workspace.repo().relative(output) + "' already exists;"
                    + " use 'axle data update' to refresh an import");
        }
        return write(workspace, url, path, rev, output, Optional.empty());
    }

    /** {@code dvc update}: resolves the import's revision again ({@code rev} if given) and refreshes its data. */
    public Imported update(Workspace workspace, Path dvcPath, Optional<String> rev) {
        DvcFile file = DvcFile.load(dvcPath.toAbsolutePath().normalize());
        Dependency dependency = file.deps().stream()
                .filter(dep -> dep.repo().isPresent())
                .findFirst()
                .orElseThrow(() -> DataException.failed("'" + workspace.repo().relative(file.path())
                        + "' is not an import: it has no deps with a repo"));
        Dependency.RepoSource repo = dependency.repo().orElseThrow();
        if (file.outs().size() != 1) {
            throw DataException.failed(
                    "'" + file.path() + "' has " + file.outs().size() + " outs; an import has one");
        }
        Output old = file.outs().getFirst();
        Path output = file.outputPath(old);
        Optional<String> wanted = rev.or(repo::rev);
        return write(workspace, repo.url(), dependency.path(), wanted, output, Optional.of(file));
    }

    private Imported write(
            Workspace workspace,
            String url,
            String path,
            Optional<String> rev,
            Path output,
            Optional<DvcFile> previous) {
        Path scratch = scratch();
        SourceOutput found;
        String revLock;
        try {
            Checkout source = checkout(url, rev, scratch.resolve("repo"));
            revLock = source.revLock();
            found = fetch(source, url, path, workspace.cache());
        } finally {
            deleteTree(scratch);
        }
        Path dvcPath = previous.map(DvcFile::path).orElse(DvcFile.pathFor(output));
        String outPath = previous.map(file -> file.outs().getFirst().path())
                .orElse(output.getFileName().toString());
        ObjectNode root = importFile(path, url, rev, revLock, found, outPath);
        boolean changed = previous.map(file -> !file.tree().equals(root)).orElse(true);
        AtomicFiles.write(dvcPath, DvcYaml.write(root).getBytes(StandardCharsets.UTF_8));
        if (Files.exists(workspace.repo().root().resolve(".git"))) {
            GitIgnores.ignore(output);
        }
        workspace.checkout(List.of(dvcPath), false);
        return new Imported(output, dvcPath, revLock, changed);
    }

    /**
     * The import file DVC 3 writes: {@code md5} (the stage hash), {@code frozen: true}, {@code deps} with {@code repo:
     * {url, rev, rev_lock}}, {@code outs}.
     */
    static ObjectNode importFile(
            String path, String url, Optional<String> rev, String revLock, SourceOutput found, String outPath) {
        ObjectNode root = DvcYaml.newObject();
        root.put("md5", stageMd5(path, url, rev, revLock, found, outPath));
        root.put("frozen", true);
        ObjectNode dep = root.putArray("deps").addObject();
        dep.put("path", path);
        ObjectNode repo = dep.putObject("repo");
        repo.put("url", url);
        rev.ifPresent(value -> repo.put("rev", value));
        repo.put("rev_lock", revLock);
        ObjectNode out = root.putArray("outs").addObject();
        out.put("md5", found.md5());
        found.size().ifPresent(size -> out.put("size", size));
        found.nfiles().ifPresent(nfiles -> out.put("nfiles", nfiles));
        if (found.executable()) {
            out.put("isexec", true);
        }
        if (found.hashName() == HashName.MD5) {
            out.put("hash", HashName.MD5.dvcName());
        }
        out.put("path", outPath);
        return root;
    }

    /**
     * DVC's stage md5: {@code json.dumps} of the stage with {@code sort_keys}, leaving out {@code md5}, {@code frozen}
     * and the outs' {@code size}, {@code nfiles} and {@code isexec}.
     */
    static String stageMd5(
            String path, String url, Optional<String> rev, String revLock, SourceOutput found, String outPath) {
        Map<String, Object> repo = new LinkedHashMap<>();
        repo.put("url", url);
        rev.ifPresent(value -> repo.put("rev", value));
        repo.put("rev_lock", revLock);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("md5", found.md5());
        if (found.hashName() == HashName.MD5) {
            out.put("hash", HashName.MD5.dvcName());
        }
        out.put("path", outPath);
        Map<String, Object> stage = Map.of("deps", List.of(Map.of("path", path, "repo", repo)), "outs", List.of(out));
        return Md5.ofBytes(PythonJson.dumps(stage).getBytes(StandardCharsets.UTF_8));
    }

    // ---- the other repository ----

    /** A clone of the other repository at the resolved commit, and the repository itself when it is local. */
    record Checkout(Path workingTree, String revLock, Optional<Path> localRepository) {}

    private Checkout checkout(String url, Optional<String> rev, Path into) {
        Optional<Path> local = localRepository(url);
        String source = local.map(Path::toString).orElse(url);
        List<String> shallow = new ArrayList<>(List.of("clone", "-q", "--depth", "1"));
        rev.ifPresent(value -> shallow.addAll(List.of("--branch", value)));
        // file:// so that --depth applies to a repository on this machine too
        shallow.addAll(List.of(local.map(path -> path.toUri().toString()).orElse(url), into.toString()));
        try {
            GitRevisions.run(into.getParent(), shallow);
        } catch (DataException e) {
            // a commit sha is no branch or tag: only a full clone can check it out
            deleteTree(into);
            GitRevisions.run(into.getParent(), List.of("clone", "-q", source, into.toString()));
            rev.ifPresent(value -> GitRevisions.run(into, List.of("checkout", "-q", value)));
        }
        String revLock = new GitRevisions(into).revParse("HEAD");
        return new Checkout(into, revLock, local);
    }

    private Optional<Path> localRepository(String url) {
        if (url.contains("://") || url.matches("^[^/]+@[^/]+:.*")) {
            return url.startsWith("file://") ? Optional.of(Path.of(java.net.URI.create(url))) : Optional.empty();
        }
        Path path = workingDirectory.resolve(url).toAbsolutePath().normalize();
        return Files.isDirectory(path) ? Optional.of(path) : Optional.empty();
    }

    /** The output {@code path} of the clone: from {@code path.dvc}, or from the clone's {@code dvc.lock}. */
    static Optional<SourceOutput> locate(Checkout source, String url, String path) {
        Path clone = source.workingTree();
        Path target = clone.resolve(path).normalize();
        if (!target.startsWith(clone)) {
            throw DataException.failed("'" + path + "' is outside of the repository '" + url + "'");
        }
        Path dvcPath = DvcFile.pathFor(target);
        if (Files.isRegularFile(dvcPath)) {
            DvcFile file = DvcFile.load(dvcPath);
            for (Output out : file.outs()) {
                if (file.outputPath(out).equals(target) && out.md5().isPresent()) {
                    return Optional.of(new SourceOutput(
                            out.hashName(), out.md5().get(), out.size(), out.nfiles(), out.executable()));
                }
            }
        }
        Path lock = clone.resolve("dvc.lock");
        if (Files.isRegularFile(lock)) {
            ObjectNode root = readYaml(lock);
            for (JsonNode stage : root.path("stages")) {
                for (JsonNode out : stage.path("outs")) {
                    if (clone.resolve(out.path("path").asText()).normalize().equals(target) && out.has("md5")) {
                        HashName hashName =
                                HashName.ofDvcName(out.path("hash").asText("")).orElse(HashName.MD5_DOS2UNIX);
                        return Optional.of(new SourceOutput(
                                hashName,
                                out.get("md5").asText(),
                                out.has("size")
                                        ? OptionalLong.of(out.get("size").asLong())
                                        : OptionalLong.empty(),
                                out.has("nfiles")
                                        ? OptionalLong.of(out.get("nfiles").asLong())
                                        : OptionalLong.empty(),
                                out.path("isexec").asBoolean(false)));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The tracked directory {@code path} lies inside, with its output and the path below it ('/'-separated). */
    private static Optional<Map.Entry<SourceOutput, String>> enclosing(Checkout source, String path) {
        Path clone = source.workingTree();
        Path target = clone.resolve(path).normalize();
        for (Path parent = target.getParent();
                parent != null && parent.startsWith(clone) && !parent.equals(clone);
                parent = parent.getParent()) {
            Optional<SourceOutput> output =
                    locate(source, "", clone.relativize(parent).toString());
            if (output.isPresent() && output.get().isDirectory()) {
                String below = parent.relativize(target).toString().replace(java.io.File.separatorChar, '/');
                return Optional.of(Map.entry(output.get(), below));
            }
        }
        return Optional.empty();
    }

    /**
     * Finds {@code path} in the other repository and puts its objects into {@code cache}: from the other repository's
     * cache if it is local, else from its default remote. A path inside a tracked directory is its file, or a directory
     * of its own with a {@code .dir} made from the part of the manifest below it, as DVC does.
     */
    private SourceOutput fetch(Checkout source, String url, String path, Cache cache) {
        List<Cache> caches = new ArrayList<>();
        source.localRepository()
                .filter(local -> Files.isDirectory(local.resolve(DvcRepo.DVC_DIR)))
                .ifPresent(local -> caches.add(DvcRepo.at(local).cache()));
        Optional<RemoteConfig> remoteConfig =
                Files.isDirectory(source.workingTree().resolve(DvcRepo.DVC_DIR))
                        ? DvcRepo.at(source.workingTree()).config().defaultRemoteConfig()
                        : Optional.empty();
        // a relative local remote is relative to the .dvc directory of the repository that configured it
        Path dvcDir = source.localRepository().orElse(source.workingTree()).resolve(DvcRepo.DVC_DIR);
        Remote remote = remoteConfig
                .map(config -> Remote.open(dvcDir, config, environment))
                .orElse(null);
        try {
            SourceOutput found =
                    locate(source, url, path).orElseGet(() -> inside(source, url, path, cache, caches, remote));
            HashName hashName = found.hashName();
            fetchOne(cache, caches, remote, hashName, found.md5());
            if (!found.isDirectory()) {
                return found.size().isPresent()
                        ? found
                        : found.withSize(size(cache.objectPath(hashName, found.md5())), OptionalLong.empty());
            }
            DirManifest manifest = cache.readManifest(hashName, found.md5()).orElseThrow();
            List<Parallel.Failure<DirManifest.Entry>> failures = Parallel.forEach(
                    manifest.entries(), jobs, entry -> fetchOne(cache, caches, remote, hashName, entry.md5()));
            if (!failures.isEmpty()) {
                Throwable cause = failures.getFirst().cause();
                throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
            }
            if (found.size().isPresent()) {
                return found;
            }
            long total = 0;
            for (DirManifest.Entry entry : manifest.entries()) {
                total += size(cache.objectPath(hashName, entry.md5()));
            }
            return found.withSize(total, OptionalLong.of(manifest.nfiles()));
        } finally {
            if (remote != null) {
                remote.close();
            }
        }
    }

    private static SourceOutput inside(
            Checkout source, String url, String path, Cache cache, List<Cache> caches, Remote remote) {
        Map.Entry<SourceOutput, String> enclosing = enclosing(source, path)
                .orElseThrow(() -> DataException.failed(
                        "unable to find DVC file with output '" + path + "' in '" + url + "' at " + source.revLock()));
        SourceOutput directory = enclosing.getKey();
        String below = enclosing.getValue();
        fetchOne(cache, caches, remote, directory.hashName(), directory.md5());
        DirManifest manifest =
                cache.readManifest(directory.hashName(), directory.md5()).orElseThrow();
        List<DirManifest.Entry> under = new ArrayList<>();
        for (DirManifest.Entry entry : manifest.entries()) {
            if (entry.relpath().equals(below)) {
                return new SourceOutput(
                        directory.hashName(), entry.md5(), OptionalLong.empty(), OptionalLong.empty(), false);
            }
            if (entry.relpath().startsWith(below + "/")) {
                under.add(new DirManifest.Entry(entry.relpath().substring(below.length() + 1), entry.md5()));
            }
        }
        if (under.isEmpty()) {
            throw DataException.failed(
                    "'" + path + "' is not in the tracked directory of '" + url + "' at " + source.revLock());
        }
        DirManifest part = new DirManifest(under);
        String md5 = part.hash();
        // a legacy directory's part is named by the md5 of its manifest bytes too, which hold no CRLF
        cache.saveStream(new java.io.ByteArrayInputStream(part.toBytes()), directory.hashName(), md5);
        return new SourceOutput(directory.hashName(), md5, OptionalLong.empty(), OptionalLong.empty(), false);
    }

    private static long size(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void fetchOne(Cache cache, List<Cache> caches, Remote remote, HashName hashName, String md5) {
        if (cache.contains(hashName, md5)) {
            return;
        }
        for (Cache other : caches) {
            Optional<Path> object = other.find(hashName, md5);
            if (object.isPresent()) {
                try (InputStream in = Files.newInputStream(object.get())) {
                    cache.saveStream(in, hashName, md5);
                    return;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        if (remote == null) {
            throw DataException.failed("object " + md5 + " is in no cache and the repository has no default remote");
        }
        try {
            remote.download(cache, hashName, md5);
        } catch (DataException e) {
            throw e;
        } catch (io.axle.common.AxleException e) {
            throw DataException.failed(
                    "object " + md5 + " could not be fetched from remote '" + remote.name() + "': " + e.getMessage());
        }
    }

    /** Copies the output out of {@code cache} to {@code output}, each file renamed into place whole. */
    private static void materialize(Cache cache, SourceOutput found, Path output) {
        CacheLinker copier = new CacheLinker(List.of(LinkType.COPY));
        if (!found.isDirectory()) {
            copier.link(cache.objectPath(found.hashName(), found.md5()), output, found.executable());
            return;
        }
        DirManifest manifest = cache.readManifest(found.hashName(), found.md5()).orElseThrow();
        try {
            Files.createDirectories(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (DirManifest.Entry entry : manifest.entries()) {
            copier.link(cache.objectPath(found.hashName(), entry.md5()), output.resolve(entry.relpath()), false);
        }
    }

    private static void copyFile(Path source, Path output) {
        try {
            Files.createDirectories(output.getParent());
            Path temporary = output.resolveSibling(output.getFileName() + "." + java.util.UUID.randomUUID() + ".tmp");
            try {
                Files.copy(source, temporary);
                Files.move(temporary, output, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode readYaml(Path path) {
        try {
            return DvcYaml.parse(Files.readAllBytes(path), path.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path scratch() {
        try {
            return Files.createTempDirectory("axle-import");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                path.toFile().setWritable(true);
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
