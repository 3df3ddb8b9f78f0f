package io.axle.data.history;

import static java.util.Objects.requireNonNull;

import io.axle.data.pipeline.FileSource;
import io.axle.data.repo.DataException;
import java.io.ByteArrayOutputStream;
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

/**
 * The files Git has at a revision ({@code git ls-tree}, {@code git show}), or in the workspace ({@code git ls-files}:
 * tracked and untracked, not ignored). Paths are repository-relative with '/'.
 */
public final class GitTree implements FileSource {
    private final Path root;
    private final Optional<String> revision;

    private GitTree(Path root, Optional<String> revision) {
        this.root = requireNonNull(root, "root is null");
        this.revision = requireNonNull(revision, "revision is null");
    }

    public static GitTree workspace(Path root) {
        return new GitTree(root, Optional.empty());
    }

    /** The tree of {@code revision} (a commit, branch, tag, {@code HEAD~1}...); fails clearly if Git has no such one. */
    public static GitTree at(Path root, String revision) {
        Result result = git(root, "rev-parse", "--verify", "--quiet", revision + "^{commit}");
        if (result.exitCode() != 0) {
            throw DataException.failed("unknown Git revision '" + revision + "'");
        }
        return new GitTree(root, Optional.of(revision));
    }

    public Path root() {
        return root;
    }

    public boolean isWorkspace() {
        return revision.isEmpty();
    }

    @Override
    public String name() {
        return revision.orElse("workspace");
    }

    @Override
    public Optional<byte[]> read(String path) {
        if (revision.isEmpty()) {
            return FileSource.workspace(root).read(path);
        }
        Result result = git(root, "cat-file", "blob", revision.get() + ":" + path);
        return result.exitCode() == 0 ? Optional.of(result.out()) : Optional.empty();
    }

    /** Every file Git has here → whether it is executable. */
    public Map<String, Boolean> files() {
        Map<String, Boolean> files = new LinkedHashMap<>();
        if (revision.isEmpty()) {
            Result result = git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard");
            for (String path : split(result)) {
                Path file = root.resolve(path);
                if (Files.isRegularFile(file)) {
                    files.put(path, Files.isExecutable(file));
                }
            }
            return files;
        }
        Result result = git(root, "ls-tree", "-r", "-z", "--full-tree", revision.get());
        for (String line : split(result)) {
            // "<mode> <type> <object>\t<path>"
            int tab = line.indexOf('\t');
            String mode = line.substring(0, line.indexOf(' '));
            if (line.substring(0, tab).contains(" blob ")) {
                files.put(line.substring(tab + 1), mode.equals("100755"));
            }
        }
        return files;
    }

    private static List<String> split(Result result) {
        if (result.exitCode() != 0) {
            throw DataException.failed("git failed: " + new String(result.out(), StandardCharsets.UTF_8).strip());
        }
        List<String> items = new ArrayList<>();
        for (String item : new String(result.out(), StandardCharsets.UTF_8).split("\0")) {
            if (!item.isEmpty()) {
                items.add(item);
            }
        }
        return items;
    }

    private record Result(int exitCode, byte[] out) {}

    private static Result git(Path root, String... arguments) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "core.quotepath=off"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command)
                    .directory(root.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            process.getOutputStream().close();
            byte[] out;
            try (InputStream in = process.getInputStream()) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                in.transferTo(buffer);
                out = buffer.toByteArray();
            }
            return new Result(process.waitFor(), out);
        } catch (IOException e) {
            throw new UncheckedIOException("could not run git: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running git", e);
        }
    }
}
