package io.axle.bench;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs {@code wrk} (Debian's 4.1.0) as a subprocess: fixed JSON POSTs, and its rps and latency percentiles parsed. */
final class Wrk {
    private static final Pattern RATE = Pattern.compile("^Requests/sec:\\s+([\\d.]+)\\s*$", Pattern.MULTILINE);
    private static final Pattern PERCENTILE =
            Pattern.compile("^\\s*(50|99)(?:\\.000)?%\\s+([\\d.]+)(us|ms|s|m)\\s*$", Pattern.MULTILINE);
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
    private static final Pattern SOCKET_ERRORS =
            Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");

    private final Path scratch;

    Wrk(Path scratch) {
        this.scratch = requireNonNull(scratch, "scratch is null");
    }

    /**
     * @param requests how many requests were answered; {@code failed} of them were not 2xx or met a socket error
     * @param p50Millis wrk's latency distribution (from the start of each request on a connection, so without
     *     coordinated-omission correction: at a fixed concurrency this is what a closed-loop client sees)
     */
    record Result(double requestsPerSecond, double p50Millis, double p99Millis, long requests, long failed) {}

    /** POSTs {@code body} as {@code application/json} to {@code url} over {@code connections} for {@code seconds}. */
    Result post(String url, String body, int connections, int seconds) throws IOException, InterruptedException {
        Path script = scratch.resolve("post.lua");
        Files.writeString(
                script,
                "wrk.method = \"POST\"\n"
                        + "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
                        + "wrk.body = [==[" + body + "]==]\n",
                StandardCharsets.UTF_8);
        // wrk wants at least one connection per thread
        int threads = Math.min(2, connections);
        List<String> command = List.of(
                "wrk",
                "-t" + threads,
                "-c" + connections,
                "-d" + seconds + "s",
                "--latency",
                "-s",
                script.toString(),
                url);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
        return parse(output);
    }

    static Result parse(String output) {
        Matcher rate = RATE.matcher(output);
        if (!rate.find()) {
            throw new IllegalStateException("no Requests/sec in wrk's output:\n" + output);
        }
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        Matcher percentile = PERCENTILE.matcher(output);
        while (percentile.find()) {
            double millis = millis(Double.parseDouble(percentile.group(2)), percentile.group(3));
            if (percentile.group(1).equals("50")) {
                p50 = millis;
            } else {
                p99 = millis;
            }
        }
        if (Double.isNaN(p50) || Double.isNaN(p99)) {
            throw new IllegalStateException("no 50% and 99% latency lines in wrk's output:\n" + output);
        }
        Matcher requests = REQUESTS.matcher(output);
        long answered = requests.find() ? Long.parseLong(requests.group(1)) : 0;
        long failed = 0;
        Matcher non2xx = NON_2XX.matcher(output);
        if (non2xx.find()) {
            failed += Long.parseLong(non2xx.group(1));
        }
        Matcher socket = SOCKET_ERRORS.matcher(output);
        if (socket.find()) {
            for (int group = 1; group <= 4; group++) {
                failed += Long.parseLong(socket.group(group));
            }
        }
        return new Result(Double.parseDouble(rate.group(1)), p50, p99, answered, failed);
    }

    private static double millis(double value, String unit) {
        return switch (unit) {
            case "us" -> value / 1000;
            case "ms" -> value;
            case "s" -> value * 1000;
            case "m" -> value * 60_000;
            default -> throw new IllegalStateException("unknown wrk latency unit " + unit);
        };
    }
}
