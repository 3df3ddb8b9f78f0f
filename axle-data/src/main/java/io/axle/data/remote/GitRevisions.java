package io.axle.data.remote;

import static java.util.Objects.requireNonNull;

import io.axle.data.repo.DataException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The Git questions gc, get and import ask, through the {@code git} command (as DVC's scm layer does). */
final class GitRevisions {
    private static final long TIMEOUT_MINUTES = 30;

    private final Path directory;

    GitRevisions(Path directory) {
        this.directory = requireNonNull(directory, "directory is null");
    }

    /** The commits at the heads of {@code refs/heads/} or {@code refs/tags/}. */
    List<String> heads(String refPrefix) {
        String out = text("for-each-ref", "--format=%(objectname)", refPrefix);
        return out.lines().filter(line -> !line.isBlank()).distinct().toList();
    }

    /** Every file path in the tree of {@code rev}. */
    List<String> files(String rev) {
        byte[] out = run(List.of("ls-tree", "-r", "-z", "--name-only", rev));
        List<String> paths = new ArrayList<>();
        for (String path : new String(out, StandardCharsets.UTF_8).split("\0")) {
            if (!path.isEmpty()) {
                paths.add(path);
            }
        }
        return paths;
    }

    byte[] show(String rev, String path) {
        return run(List.of("show", rev + ":" + path));
    }

    String revParse(String rev) {
        return text("rev-parse", "--verify", rev + "^{commit}").strip();
    }

    String text(String... arguments) {
        return new String(run(List.of(arguments)), StandardCharsets.UTF_8);
    }

    /** Runs git in {@code directory}; a failure is a command failure with git's own words. */
    byte[] run(List<String> arguments) {
        return run(directory, arguments);
    }

    static byte[] run(Path directory, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(arguments);
        try {
            Process process = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            // both pipes drain at once so a chatty git never blocks on a full one
            CompletableFuture<byte[]> errors = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            byte[] out = readAll(process.getInputStream());
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw DataException.failed("'git " + String.join(" ", arguments) + "' did not finish");
            }
            if (process.exitValue() != 0) {
                throw DataException.failed("'git " + String.join(" ", arguments) + "' failed: "
                        + new String(errors.join(), StandardCharsets.UTF_8).strip());
            }
            return out;
        } catch (IOException e) {
            throw DataException.failed("could not run git (is it installed?): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DataException.failed("interrupted while running git");
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
