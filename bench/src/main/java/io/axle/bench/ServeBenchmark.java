package io.axle.bench;

import io.axle.serving.Device;
import io.axle.serving.LoadOptions;
import io.axle.serving.Model;
import io.axle.serving.ModelHandle;
import io.axle.serving.Predictor;
import io.axle.serving.ServedModel;
import io.axle.serving.ServingConfig;
import io.axle.serving.batch.BatchingConfig;
import io.axle.serving.batch.DynamicBatcher;
import io.axle.serving.http.ServingServer;
import io.axle.serving.metrics.ServingMetrics;
import io.axle.serving.model.ModelLoader;
import io.axle.serving.testing.OnnxModels;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.StringJoiner;

/**
 * The model-server benchmark of BENCHMARKS.md: {@code wrk} against Axle's {@code /v2/models/m/infer} and
 * {@code /invocations}, each held against a ceiling measured in the same run: a bare Jetty handler that parses the
 * JSON, calls {@code session.run} on the same model and writes JSON ({@link CeilingServer}).
 *
 * <p>Two models, both written by {@link OnnxModels} as MLflow model directories: the tiny one, logistic regression
 * over 4 features (one 1×4 FP32 row a request), at 1, 16 and 64 connections; and a heavy MLP (1024 features, 4 layers
 * of 1024 by default) where batching matters, at 16 and 64 connections, with and without Axle's dynamic batcher.
 *
 * <p>Arguments: {@code [--duration SECONDS] [--only tiny|heavy] [--heavy-width N] [--heavy-layers N]}. Every server
 * runs in this JVM; {@code wrk} runs as a subprocess on the same machine, so it competes with the server for cores
 * as any same-host load generator does, the ceiling included.
 */
public final class ServeBenchmark {
    private static final BatchingConfig BATCHING = new BatchingConfig(32, Duration.ZERO, 1024);
    private static final int[] TINY_CONNECTIONS = {1, 16, 64};
    private static final int[] HEAVY_CONNECTIONS = {16, 64};
    private static final float[] TINY_ROW = {0.5f, -1.25f, 2.0f, 0.75f};

    private final Options options;
    private final Wrk wrk;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private ServeBenchmark(Options options, Wrk wrk) {
        this.options = options;
        this.wrk = wrk;
    }

    record Options(int durationSeconds, String only, int heavyWidth, int heavyLayers) {
        Options {
            if (!List.of("all", "tiny", "heavy").contains(only)) {
                throw new IllegalArgumentException("--only is tiny or heavy, not " + only);
            }
        }

        static Options parse(String[] args) {
            return new Options(
                    Integer.parseInt(option(args, "--duration").orElse("10")),
                    option(args, "--only").orElse("all"),
                    Integer.parseInt(option(args, "--heavy-width").orElse("1024")),
                    Integer.parseInt(option(args, "--heavy-layers").orElse("4")));
        }

        boolean selected(String part) {
            return only.equals("all") || only.equals(part);
        }

        int warmupSeconds() {
            return Math.max(2, durationSeconds / 3);
        }
    }

    /** One measured case: which server, which endpoint, at how many connections. */
    record Row(String target, String endpoint, int connections, Wrk.Result result) {}

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path scratch = Files.createTempDirectory("axle-serve-bench");
        System.out.printf(
                Locale.ROOT,
                "# Axle model-server benchmark, %s, %d cores (nproc), Java %s, load average at start %s%n%n",
                LocalDate.now(),
                Runtime.getRuntime().availableProcessors(),
                Runtime.version(),
                loadAverage());
        System.out.printf(
                Locale.ROOT,
                "wrk -t2 (-t1 at -c1) -d%ds --latency, POST of one fixed JSON body, after a %d s warm-up per server;"
                        + " Axle's batcher: max batch %d, delay %d ms, one worker.%n%n",
                options.durationSeconds(),
                options.warmupSeconds(),
                BATCHING.maxBatchSize(),
                BATCHING.maxBatchDelay().toMillis());
        ServeBenchmark benchmark = new ServeBenchmark(options, new Wrk(scratch));
        List<String> verdicts = new ArrayList<>();
        if (options.selected("tiny")) {
            verdicts.addAll(benchmark.tiny(scratch.resolve("tiny")));
        }
        if (options.selected("heavy")) {
            verdicts.addAll(benchmark.heavy(scratch.resolve("heavy")));
        }
        System.out.println("Against the targets:");
        System.out.println();
        verdicts.forEach(line -> System.out.println("- " + line));
        System.out.printf(Locale.ROOT, "%nLoad average at the end: %s%n", loadAverage());
    }

    // ---- tiny model

    private List<String> tiny(Path directory) throws Exception {
        byte[] onnx = OnnxModels.logistic(TINY_ROW.length);
        OnnxModels.writeMlflowModel(directory, onnx);
        String oip = oipBody(TINY_ROW);
        String mlflow = mlflowBody(TINY_ROW);
        List<Row> rows = new ArrayList<>();
        try (CeilingServer ceiling = CeilingServer.start(directory.resolve("model.onnx"));
                AxleTarget batched = AxleTarget.start(directory, true);
                AxleTarget direct = AxleTarget.start(directory, false)) {
            String ceilingUrl = "http://127.0.0.1:" + ceiling.port() + "/";
            check(ceilingUrl, oip);
            check(batched.infer(), oip);
            check(batched.invocations(), mlflow);
            check(direct.infer(), oip);
            warmUp(ceilingUrl, oip);
            warmUp(batched.infer(), oip);
            warmUp(batched.invocations(), mlflow);
            warmUp(direct.infer(), oip);
            // the reference is measured next to what it is compared with, at each concurrency, so drift in the
            // machine's other load lands on both
            for (int connections : TINY_CONNECTIONS) {
                rows.add(measure("ceiling (bare Jetty handler)", "OIP v2 body", ceilingUrl, oip, connections));
                rows.add(measure("Axle, batching", "/v2/models/m/infer", batched.infer(), oip, connections));
                rows.add(measure("Axle, batching", "/invocations", batched.invocations(), mlflow, connections));
                rows.add(measure("Axle, no batching", "/v2/models/m/infer", direct.infer(), oip, connections));
                rows.add(measure("Axle, no batching", "/invocations", direct.invocations(), mlflow, connections));
            }
        }
        System.out.println("Tiny model: logistic regression, 4 features, one 1×4 FP32 row a request.");
        System.out.println();
        System.out.println("| server | endpoint | connections | requests/s | p50 | p99 | of the ceiling | failed |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Row row : rows) {
            Wrk.Result reference = ceilingAt(rows, row.connections()).result();
            printRow(row, String.format(Locale.ROOT, "%.0f %%", 100 * ratio(row.result(), reference)));
        }
        System.out.println();
        List<String> verdicts = new ArrayList<>();
        for (int connections : TINY_CONNECTIONS) {
            Wrk.Result reference = ceilingAt(rows, connections).result();
            StringJoiner shares = new StringJoiner("; ");
            for (Row row : rows) {
                if (row.connections() == connections && !row.target().startsWith("ceiling")) {
                    shares.add(String.format(
                            Locale.ROOT,
                            "%s %s %.0f %%",
                            row.target(),
                            row.endpoint(),
                            100 * ratio(row.result(), reference)));
                }
            }
            verdicts.add(String.format(
                    Locale.ROOT,
                    "tiny, c=%d, ceiling %.0f rps (target ≥ 70 %%): %s",
                    connections,
                    reference.requestsPerSecond(),
                    shares));
        }
        return verdicts;
    }

    // ---- heavy model

    private List<String> heavy(Path directory) throws Exception {
        int features = options.heavyWidth();
        byte[] onnx = OnnxModels.mlp(features, options.heavyWidth(), options.heavyLayers());
        OnnxModels.writeMlflowModel(directory, onnx);
        float[] row = new float[features];
        for (int i = 0; i < features; i++) {
            row[i] = Math.round(Math.sin(i * 0.37) * 1000) / 1000f;
        }
        String oip = oipBody(row);
        List<Row> rows = new ArrayList<>();
        try (CeilingServer ceiling = CeilingServer.start(directory.resolve("model.onnx"));
                AxleTarget batched = AxleTarget.start(directory, true);
                AxleTarget direct = AxleTarget.start(directory, false)) {
            String ceilingUrl = "http://127.0.0.1:" + ceiling.port() + "/";
            check(ceilingUrl, oip);
            check(batched.infer(), oip);
            check(direct.infer(), oip);
            warmUp(ceilingUrl, oip);
            warmUp(batched.infer(), oip);
            warmUp(direct.infer(), oip);
            for (int connections : HEAVY_CONNECTIONS) {
                rows.add(measure("ceiling (bare Jetty handler)", "OIP v2 body", ceilingUrl, oip, connections));
                rows.add(measure("Axle, no batching", "/v2/models/m/infer", direct.infer(), oip, connections));
                rows.add(measure("Axle, batching", "/v2/models/m/infer", batched.infer(), oip, connections));
            }
        }
        System.out.printf(
                Locale.ROOT,
                "Heavy model: MLP, %d features, %d layers of %d (MatMul + Add + Relu), one 1×%d FP32 row a request.%n%n",
                features,
                options.heavyLayers(),
                options.heavyWidth(),
                features);
        System.out.println(
                "| server | endpoint | connections | requests/s | p50 | p99 | of the ceiling | of Axle unbatched | failed |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Row measured : rows) {
            Wrk.Result reference = ceilingAt(rows, measured.connections()).result();
            Wrk.Result unbatched =
                    find(rows, "Axle, no batching", measured.connections()).result();
            printRow(
                    measured,
                    String.format(
                            Locale.ROOT,
                            "%.2f× | %.2f×",
                            ratio(measured.result(), reference),
                            ratio(measured.result(), unbatched)));
        }
        System.out.println();
        List<String> verdicts = new ArrayList<>();
        for (int connections : HEAVY_CONNECTIONS) {
            Wrk.Result unbatched = find(rows, "Axle, no batching", connections).result();
            Wrk.Result batchedResult = find(rows, "Axle, batching", connections).result();
            verdicts.add(String.format(
                    Locale.ROOT,
                    "heavy, c=%d (target ≥ 3× at equal or better p99): batching %.0f rps = %.2f× unbatched %.0f rps;"
                            + " p99 %.2f ms batched vs %.2f ms unbatched",
                    connections,
                    batchedResult.requestsPerSecond(),
                    ratio(batchedResult, unbatched),
                    unbatched.requestsPerSecond(),
                    batchedResult.p99Millis(),
                    unbatched.p99Millis()));
        }
        return verdicts;
    }

    // ---- measuring

    private Row measure(String target, String endpoint, String url, String body, int connections)
            throws IOException, InterruptedException {
        Wrk.Result result = wrk.post(url, body, connections, options.durationSeconds());
        System.err.printf(
                Locale.ROOT,
                "%s %s c=%d: %.0f rps, p50 %.2f ms, p99 %.2f ms%n",
                target,
                endpoint,
                connections,
                result.requestsPerSecond(),
                result.p50Millis(),
                result.p99Millis());
        return new Row(target, endpoint, connections, result);
    }

    private void warmUp(String url, String body) throws IOException, InterruptedException {
        wrk.post(url, body, 16, options.warmupSeconds());
    }

    /** One request through Java's client first: a server that answers wrk with errors would be measured fast. */
    private void check(String url, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "POST " + url + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private static void printRow(Row row, String ratios) {
        Wrk.Result result = row.result();
        System.out.printf(
                Locale.ROOT,
                "| %s | %s | %d | %.0f | %s | %s | %s | %d |%n",
                row.target(),
                row.endpoint(),
                row.connections(),
                result.requestsPerSecond(),
                millis(result.p50Millis()),
                millis(result.p99Millis()),
                ratios,
                result.failed());
    }

    private static String millis(double value) {
        return value < 10 ? String.format(Locale.ROOT, "%.2f ms", value) : String.format(Locale.ROOT, "%.1f ms", value);
    }

    private static Row ceilingAt(List<Row> rows, int connections) {
        return find(rows, "ceiling (bare Jetty handler)", connections);
    }

    private static Row find(List<Row> rows, String target, int connections) {
        return rows.stream()
                .filter(row -> row.target().equals(target) && row.connections() == connections)
                .findFirst()
                .orElseThrow();
    }

    private static double ratio(Wrk.Result measured, Wrk.Result reference) {
        return measured.requestsPerSecond() / reference.requestsPerSecond();
    }

    // ---- bodies

    private static String oipBody(float[] row) {
        return "{\"inputs\":[{\"name\":\"X\",\"shape\":[1," + row.length + "],\"datatype\":\"FP32\",\"data\":"
                + numbers(row) + "}]}";
    }

    private static String mlflowBody(float[] row) {
        return "{\"inputs\":[" + numbers(row) + "]}";
    }

    private static String numbers(float[] row) {
        StringJoiner joined = new StringJoiner(",", "[", "]");
        for (float value : row) {
            joined.add(Float.toString(value));
        }
        return joined.toString();
    }

    // ---- plumbing

    /** Axle's model server on port 0 for one model directory, served as {@code m}, batched or not. */
    private record AxleTarget(ServingServer server, ModelHandle handle) implements AutoCloseable {
        static AxleTarget start(Path directory, boolean batching) {
            Model model = ModelLoader.load(
                    directory,
                    new LoadOptions(Optional.of("m"), Optional.empty(), Device.cpu(), OptionalLong.empty(), 0));
            ServingMetrics metrics = new ServingMetrics();
            Predictor predictor = batching ? DynamicBatcher.create(model, BATCHING, metrics) : Predictor.direct(model);
            ModelHandle handle = new ModelHandle(new ServedModel(model, predictor));
            ServingServer server = ServingServer.start(
                    new ServingConfig("127.0.0.1", 0, Duration.ofSeconds(30), Duration.ofSeconds(5)), handle, metrics);
            return new AxleTarget(server, handle);
        }

        String infer() {
            return "http://127.0.0.1:" + server.port() + "/v2/models/m/infer";
        }

        String invocations() {
            return "http://127.0.0.1:" + server.port() + "/invocations";
        }

        @Override
        public void close() {
            server.close();
            handle.close();
        }
    }

    /** Other work on the machine skews every figure; the one-minute load average says how much there was. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static Optional<String> option(String[] args, String name) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Optional.of(args[i + 1]);
            }
        }
        return Optional.empty();
    }
}
