package io.axle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code axle data push|pull|status -c|gc|get|import|update} end to end through the CLI, in real Git repositories. */
final class DataRemoteCommandTest {
    @TempDir
    Path directory;

    record Result(int exitCode, String out, String err) {}

    private Result axle(Path in, String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> command = new ArrayList<>(List.of("data", "-C", in.toString()));
        command.addAll(List.of(arguments));
        int exitCode =
                Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), command.toArray(String[]::new));
        return new Result(exitCode, out.toString(), err.toString());
    }

    private Path project(String name) {
        Path root = directory.resolve(name);
        git(directory, "init", "-q", "-b", "main", root.toString());
        assertThat(axle(root, "init").exitCode()).isZero();
        return root;
    }

    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(10)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void pushStatusCloudPullAndGc() throws Exception {
        Path root = project("repo");
        write(root.resolve("data/foo"), "foo");
        write(root.resolve("model.bin"), "weights");
        assertThat(axle(root, "add", "data", "model.bin").exitCode()).isZero();
        assertThat(axle(
                                root,
                                "remote",
                                "add",
                                "-d",
                                "storage",
                                directory.resolve("store").toString())
                        .exitCode())
                .isZero();

        Result status = axle(root, "status", "-c", "--json");
        assertThat(status.exitCode()).isZero();
        assertThat(status.out()).contains("\"model.bin\":\"new\"", "\"data/foo\":\"new\"", "\"data\":\"new\"");
        assertThat(axle(root, "status", "--cloud", "-q").exitCode()).isEqualTo(1);

        Result push = axle(root, "push", "-j", "2");
        assertThat(push.exitCode()).as(push.err()).isZero();
        assertThat(push.out()).isEqualTo("3 files pushed\n");
        assertThat(axle(root, "status", "-c", "-r", "storage").out())
                .isEqualTo("Cache and remote 'storage' are in sync.\n");

        deleteTree(root.resolve(".dvc/cache"));
        deleteTree(root.resolve("data"));
        Files.delete(root.resolve("model.bin"));
        Result pull = axle(root, "pull");
        assertThat(pull.exitCode()).as(pull.err()).isZero();
        assertThat(root.resolve("data/foo")).hasContent("foo");
        assertThat(root.resolve("model.bin")).hasContent("weights");

        Result refused = axle(root, "gc", "-f");
        assertThat(refused.exitCode()).isEqualTo(255);
        assertThat(refused.err()).contains("Either of `-w|--workspace`");

        write(root.resolve("model.bin"), "weights v2");
        assertThat(axle(root, "add", "model.bin").exitCode()).isZero();
        Result gc = axle(root, "gc", "-w", "-c", "-f");
        assertThat(gc.exitCode()).as(gc.err()).isZero();
        assertThat(gc.out()).isEqualTo("Removed 1 objects from the cache and 1 from the remote.\n");
        assertThat(axle(root, "status").out()).isEqualTo("Data and pipelines are up to date.\n");
    }

    @Test
    void pushWithoutARemoteFailsWithExitOneAsInDvc() {
        Path root = project("repo");
        Result push = axle(root, "push");
        assertThat(push.exitCode()).isEqualTo(1);
        assertThat(push.err()).contains("No remote provided and no default remote set");
    }

    @Test
    void getImportAndUpdateFromAnotherRepository() {
        Path registry = project("registry");
        write(registry.resolve("labels.csv"), "v1");
        assertThat(axle(registry, "add", "labels.csv").exitCode()).isZero();
        assertThat(axle(
                                registry,
                                "remote",
                                "add",
                                "-d",
                                "storage",
                                directory.resolve("registry-store").toString())
                        .exitCode())
                .isZero();
        assertThat(axle(registry, "push").exitCode()).isZero();
        git(registry, "add", "-A");
        git(registry, "commit", "-q", "-m", "v1");

        Path project = project("project");
        Result get = axle(project, "get", registry.toString(), "labels.csv", "-o", "copy.csv");
        assertThat(get.exitCode()).as(get.err()).isZero();
        assertThat(project.resolve("copy.csv")).hasContent("v1");

        Result imported = axle(project, "import", registry.toString(), "labels.csv", "--rev", "main");
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("git add labels.csv.dvc .gitignore");
        assertThat(project.resolve("labels.csv")).hasContent("v1");
        assertThat(project.resolve("labels.csv.dvc")).content().contains("frozen: true", "rev: main", "rev_lock: ");

        write(registry.resolve("labels.csv"), "v2");
        assertThat(axle(registry, "add", "labels.csv").exitCode()).isZero();
        assertThat(axle(registry, "push").exitCode()).isZero();
        git(registry, "add", "-A");
        git(registry, "commit", "-q", "-m", "v2");

        Result update = axle(project, "update", "labels.csv.dvc");
        assertThat(update.exitCode()).as(update.err()).isZero();
        assertThat(update.out()).isEqualTo("Updated 'labels.csv.dvc'\n");
        assertThat(project.resolve("labels.csv")).hasContent("v2");
    }

    private static void deleteTree(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                path.toFile().setWritable(true);
                Files.delete(path);
            }
        }
    }

    private static void git(Path in, String... arguments) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@t"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command)
                    .directory(in.toFile())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("git failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
