package io.axle.data.remote;

import io.axle.data.hash.Progress;
import io.axle.data.repo.DvcRepo;
import io.axle.data.workspace.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A real Git working tree with {@code axle data init} run in it, for the remote tests. */
final class GitRepo {
    final Path root;

    private GitRepo(Path root) {
        this.root = root;
    }

    static GitRepo create(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        git(directory, "init", "-q", "-b", "main");
        DvcRepo.init(directory, false, false);
        return new GitRepo(directory);
    }

    DvcRepo repo() {
        return DvcRepo.at(root);
    }

    Workspace workspace() {
        return new Workspace(repo(), Progress.NONE);
    }

    Path write(String relative, String content) {
        try {
            Path file = root.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(10)));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String read(String relative) {
        try {
            return Files.readString(root.resolve(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void add(String... paths) {
        try (Workspace workspace = workspace()) {
            workspace.add(Stream.of(paths).map(root::resolve).toList());
        }
    }

    /** Adds a remote section by hand, as {@code dvc remote add} writes it. */
    void remote(String name, String url, Map<String, String> options, boolean makeDefault) {
        StringBuilder config = new StringBuilder(read(".dvc/config"));
        if (makeDefault) {
            config.append("[core]\n    remote = ").append(name).append('\n');
        }
        config.append("['remote \"")
                .append(name)
                .append("\"']\n    url = ")
                .append(url)
                .append('\n');
        options.forEach((key, value) ->
                config.append("    ").append(key).append(" = ").append(value).append('\n'));
        write(".dvc/config", config.toString());
    }

    Remote openRemote() {
        return Remote.open(repo(), java.util.Optional.empty(), Map.of());
    }

    String git(String... arguments) {
        return git(root, arguments);
    }

    void commitAll(String message) {
        git("add", "-A");
        git("commit", "-q", "-m", message);
    }

    static String git(Path directory, String... arguments) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@t"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("git " + String.join(" ", arguments) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                path.toFile().setWritable(true);
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
