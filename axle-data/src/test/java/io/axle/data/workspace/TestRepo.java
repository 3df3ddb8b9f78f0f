package io.axle.data.workspace;

import io.axle.data.hash.Md5;
import io.axle.data.hash.Progress;
import io.axle.data.repo.DvcRepo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A real Git working tree with {@code axle data init} run in it. */
final class TestRepo {
    final Path root;
    final DvcRepo repo;

    private TestRepo(Path root) {
        this.root = root;
        git(root, "init", "-q");
        this.repo = DvcRepo.init(root, false, false);
    }

    static TestRepo create(Path directory) {
        return new TestRepo(directory);
    }

    /** A progress listener that adds up the bytes hashed: zero means nothing was read. */
    static Progress countingBytes(java.util.concurrent.atomic.AtomicLong hashed) {
        return new Progress() {
            @Override
            public void bytesHashed(long bytes) {
                hashed.addAndGet(bytes);
            }

            @Override
            public void fileDone() {}
        };
    }

    Workspace workspace() {
        return new Workspace(DvcRepo.find(root), Progress.NONE);
    }

    Path write(String relative, String content) {
        return write(relative, content.getBytes(StandardCharsets.UTF_8));
    }

    Path write(String relative, byte[] content) {
        try {
            Path file = root.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.write(file, content);
            // old enough for the state cache to remember it
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

    List<Path> add(String... paths) {
        try (Workspace workspace = workspace()) {
            return workspace.add(Stream.of(paths).map(root::resolve).toList());
        }
    }

    /** Every object in the cache whose bytes do not hash to its name (DVC 3 objects; .tmp files are not objects). */
    List<Path> corruptObjects() {
        Path objects = root.resolve(".dvc/cache/files/md5");
        if (!Files.isDirectory(objects)) {
            return List.of();
        }
        List<Path> corrupt = new ArrayList<>();
        try (Stream<Path> files = Files.walk(objects)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getParent().getFileName().toString() + file.getFileName();
                if (name.endsWith(".tmp")) {
                    continue;
                }
                String md5 = Md5.ofFile(file);
                if (!name.equals(md5) && !name.equals(md5 + ".dir")) {
                    corrupt.add(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return corrupt;
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
}
