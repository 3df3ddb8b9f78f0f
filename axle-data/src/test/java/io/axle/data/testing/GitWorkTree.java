package io.axle.data.testing;

import io.axle.data.hash.Progress;
import io.axle.data.repo.DvcRepo;
import io.axle.data.workspace.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real Git working tree with a DVC repository in it, for history and pipeline tests. */
public final class GitWorkTree {
    public final Path root;

    public GitWorkTree(Path root) {
        this.root = root;
        git("init", "-q");
        DvcRepo.init(root, false, false);
    }

    public Workspace workspace() {
        return new Workspace(DvcRepo.find(root), Progress.NONE);
    }

    public void write(String relative, String content) {
        try {
            Path file = root.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String read(String relative) {
        try {
            return Files.readString(root.resolve(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void add(String... paths) {
        try (Workspace workspace = workspace()) {
            workspace.add(java.util.stream.Stream.of(paths).map(root::resolve).toList());
        }
    }

    public void delete(String relative) {
        try {
            Files.delete(root.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void commit(String message) {
        git("add", "-A");
        git("commit", "-q", "-m", message);
    }

    public String git(String... arguments) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@t"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command)
                    .directory(root.toFile())
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
}
