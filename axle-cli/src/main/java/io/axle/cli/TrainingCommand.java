package io.axle.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * The run the {@code ./axle} launcher records once per build with {@code -XX:AOTCacheOutput}: every command's help and
 * a small {@code axle data} session in a scratch directory, so the classes they load start from Java's AOT cache
 * afterwards (about 0.2 s less per command). Hidden: it is for the launcher, not for people.
 */
@Command(name = "aot-training", hidden = true, description = "Exercise the CLI for the launcher's AOT cache.")
final class TrainingCommand implements Runnable {
    @Override
    public void run() {
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        for (String[] help : new String[][] {
            {"--help"},
            {"server", "--help"},
            {"registry", "--help"},
            {"models", "--help"},
            {"data", "--help"},
            {"data", "add", "--help"},
            {"data", "status", "--help"},
            {"gpu", "--help"},
            {"gpu", "ls", "--help"},
            {"gpu", "pick", "--help"}
        }) {
            Main.execute(sink, sink, help);
        }
        Path scratch;
        try {
            scratch = Files.createTempDirectory("axle-aot-training");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            String root = scratch.toString();
            Files.createDirectories(scratch.resolve("data/sub"));
            for (int i = 0; i < 200; i++) {
                Files.writeString(scratch.resolve("data/sub/f" + i), "training " + i);
            }
            Files.writeString(scratch.resolve("one.txt"), "one");
            Main.execute(sink, sink, "data", "-C", root, "init", "--no-scm");
            Main.execute(
                    sink,
                    sink,
                    "data",
                    "-C",
                    root,
                    "remote",
                    "add",
                    "-d",
                    "local",
                    scratch.resolve("remote").toString());
            Main.execute(sink, sink, "data", "-C", root, "add", "data", "one.txt");
            Main.execute(sink, sink, "data", "-C", root, "status");
            Main.execute(sink, sink, "data", "-C", root, "status", "--json");
            Main.execute(sink, sink, "data", "-C", root, "commit");
            Main.execute(sink, sink, "data", "-C", root, "push");
            Main.execute(sink, sink, "data", "-C", root, "status", "-c");
            Main.execute(sink, sink, "data", "-C", root, "checkout", "--force");
            Main.execute(sink, sink, "data", "-C", root, "ls", "--json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTree(scratch);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                path.toFile().setWritable(true);
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a scratch directory under the system temporary directory; nothing depends on it going
        }
    }
}
