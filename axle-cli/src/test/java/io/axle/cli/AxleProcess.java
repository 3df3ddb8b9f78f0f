package io.axle.cli;

import static java.util.Objects.requireNonNull;

import io.axle.server.testing.ApiClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real {@code axle} command, run as a child JVM on this test's class path, as a user would run it. */
final class AxleProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("Axle server listening on (http://\\S+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final String url;

    private AxleProcess(Process process, String url) {
        this.process = requireNonNull(process, "process is null");
        this.url = requireNonNull(url, "url is null");
    }

    /** What a finished command printed, and how it exited. */
    record Result(int exitCode, String out, String err) {
        Result {
            requireNonNull(out, "out is null");
            requireNonNull(err, "err is null");
        }
    }

    /** Runs a short command (help, version, a failing start) to its end. */
    static Result run(Path directory, Map<String, String> environment, String... arguments) {
        Path out = directory.resolve("out-" + System.nanoTime() + ".txt");
        Path err = directory.resolve("err-" + System.nanoTime() + ".txt");
        ProcessBuilder builder = builder(directory, environment, arguments)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        try {
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("axle " + String.join(" ", arguments) + " did not finish within 60 s:\n"
                        + read(out) + read(err));
            }
            return new Result(process.exitValue(), read(out), read(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts {@code axle server ...} and waits until it says where it listens. */
    static AxleProcess startServer(Path directory, Map<String, String> environment, String... arguments) {
        Path log = directory.resolve("server-" + System.nanoTime() + ".log");
        List<String> command = new ArrayList<>(List.of("server"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = builder(directory, environment, command.toArray(String[]::new))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            Matcher listening = LISTENING.matcher(read(log));
            if (listening.find()) {
                return new AxleProcess(process, listening.group(1));
            }
            if (!process.isAlive()) {
                throw new AssertionError("axle server exited with " + process.exitValue() + ":\n" + read(log));
            }
            sleep(Duration.ofMillis(50));
        }
        process.destroyForcibly();
        throw new AssertionError("axle server did not start within " + START_TIMEOUT + ":\n" + read(log));
    }

    String url() {
        return url;
    }

    ApiClient client() {
        return new ApiClient(url);
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or closed. */
    void kill() {
        process.destroyForcibly();
        waitForExit();
    }

    /** SIGTERM, the way a service manager stops it. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private void waitForExit() {
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static ProcessBuilder builder(Path directory, Map<String, String> environment, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        // without the optimising compiler the child starts in half the time, and these tests are short
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        // only the environment the test gives decides the AXLE_ settings
        builder.environment().keySet().removeIf(name -> name.startsWith("AXLE_"));
        builder.environment().putAll(environment);
        return builder;
    }

    private static String read(Path file) {
        try {
            // a line the child is still writing may end in half a character; decoding replaces it
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
