package io.axle.data.history;

import static java.util.Objects.requireNonNull;

import io.axle.data.hash.DirManifest;
import io.axle.data.hash.Hasher;
import io.axle.data.repo.DataException;
import io.axle.data.workspace.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code dvc ls}: the repository's files as DVC sees them, Git-tracked files and DVC outputs together. {@code .dvc/}
 * is left out, as DVC leaves it out.
 */
public final class RepoListing {
    private final Workspace workspace;

    public RepoListing(Workspace workspace) {
        this.workspace = requireNonNull(workspace, "workspace is null");
    }

    /** One entry as {@code dvc ls --json} writes it; {@code path} is relative to the listed path. */
    public record Entry(String path, boolean isout, boolean isdir, boolean isexec) {
        public Entry {
            requireNonNull(path, "path is null");
        }
    }

    private record Node(boolean isout, boolean isexec) {}

    /**
     * The entries under {@code path} ("" for the root): its children, or with {@code recursive} every file below it.
     */
    public List<Entry> list(GitTree tree, String path, boolean recursive) {
        String base = trim(path);
        Contents contents = contents(tree);
        Map<String, Node> files = contents.files();
        Map<String, Node> outputDirectories = contents.outputDirectories();
        Map<String, Entry> entries = new TreeMap<>(DirManifest.CODE_POINT_ORDER);
        if (!base.isEmpty() && files.containsKey(base)) {
            Node node = files.get(base);
            String name = base.substring(base.lastIndexOf('/') + 1);
            return List.of(new Entry(name, node.isout(), false, node.isexec()));
        }
        String prefix = base.isEmpty() ? "" : base + "/";
        for (Map.Entry<String, Node> file : files.entrySet()) {
            if (!file.getKey().startsWith(prefix)) {
                continue;
            }
            String rest = file.getKey().substring(prefix.length());
            int slash = rest.indexOf('/');
            if (recursive || slash < 0) {
                entries.put(
                        rest,
                        new Entry(
                                rest,
                                file.getValue().isout(),
                                false,
                                file.getValue().isexec()));
            } else {
                String directory = rest.substring(0, slash);
                String full = prefix + directory;
                boolean isout = outputDirectories.keySet().stream()
                        .anyMatch(output -> full.equals(output) || full.startsWith(output + "/"));
                entries.putIfAbsent(directory, new Entry(directory, isout, true, false));
            }
        }
        // a directory output whose files are not known here (not in the cache) is still listed
        for (String directory : outputDirectories.keySet()) {
            if (directory.startsWith(prefix) && files.keySet().stream().noneMatch(f -> f.startsWith(directory + "/"))) {
                String rest = directory.substring(prefix.length());
                if (recursive || !rest.contains("/")) {
                    entries.putIfAbsent(rest, new Entry(rest, true, true, false));
                }
            }
        }
        if (entries.isEmpty() && !base.isEmpty() && !outputDirectories.containsKey(base)) {
            throw DataException.failed("The path '" + path + "' does not exist in the target repository '.' neither"
                    + " as a DVC output nor as a Git-tracked file.");
        }
        return new ArrayList<>(entries.values());
    }

    private record Contents(Map<String, Node> files, Map<String, Node> outputDirectories) {}

    /** Git's files and every output's files: from the workspace, or from the cache's {@code .dir} manifests. */
    private Contents contents(GitTree tree) {
        Map<String, Node> files = new TreeMap<>(DirManifest.CODE_POINT_ORDER);
        Map<String, Boolean> gitFiles = tree.files();
        gitFiles.forEach((file, executable) -> {
            if (!file.startsWith(".dvc/")) {
                files.put(file, new Node(false, executable));
            }
        });
        Map<String, Node> directories = new TreeMap<>(DirManifest.CODE_POINT_ORDER);
        for (TrackedOutput output : TrackedOutputs.collect(tree, gitFiles.keySet())) {
            Path path = tree.root().resolve(output.path());
            if (tree.isWorkspace() && Files.isDirectory(path)) {
                directories.put(output.path(), new Node(true, false));
                for (Path file : Hasher.listFiles(path, workspace.repo().ignore())) {
                    files.put(
                            output.path() + "/" + Hasher.relpath(path, file), new Node(true, Files.isExecutable(file)));
                }
            } else if (output.isDirectory()) {
                directories.put(output.path(), new Node(true, false));
                workspace
                        .cache()
                        .readManifest(output.hashName(), output.md5().orElseThrow())
                        .ifPresent(manifest -> manifest.entries()
                                .forEach(entry ->
                                        files.put(output.path() + "/" + entry.relpath(), new Node(true, false))));
            } else if (!tree.isWorkspace() || Files.exists(path) || output.md5().isPresent()) {
                files.put(output.path(), new Node(true, output.executable()));
            }
        }
        return new Contents(files, directories);
    }

    private static String trim(String path) {
        String trimmed = path.replace('\\', '/');
        while (trimmed.startsWith("./")) {
            trimmed = trimmed.substring(2);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.equals(".") ? "" : trimmed;
    }
}
