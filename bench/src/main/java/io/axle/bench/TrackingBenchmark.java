package io.axle.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.server.AxleServer;
import io.axle.server.ServerConfig;
import io.axle.server.db.BackendStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tracking benchmark of BENCHMARKS.md: log-batch throughput with 1 and 16 clients, a filtered and ordered
 * runs/search over 10,000 runs, and get-history of a 100,000-point metric, against a real server over HTTP.
 *
 * <p>Arguments: {@code [--backend-store-uri URI] [--url http://host:port] [--seconds N]
 * [--only log-batch|search|history]}. Without {@code --url} it
 * starts an Axle server in this process on a fresh embedded H2 file database (or the given backend store).
 */
public final class TrackingBenchmark {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;
    private final int seconds;
    private final String only;

    private TrackingBenchmark(String base, int seconds, String only) {
        this.base = base;
        this.seconds = seconds;
        this.only = only;
    }

    public static void main(String[] args) throws Exception {
        Optional<String> url = option(args, "--url");
        Optional<String> store = option(args, "--backend-store-uri");
        int seconds = Integer.parseInt(option(args, "--seconds").orElse("10"));
        String only = option(args, "--only").orElse("all");
        Path data = Files.createTempDirectory("axle-bench");
        AxleServer server = null;
        String target;
        String backend;
        if (url.isPresent()) {
            target = url.get();
            backend = "external server " + target;
        } else {
            ServerConfig config = ServerConfig.embedded(data);
            if (store.isPresent()) {
                config = config.withBackendStore(BackendStore.parse(store.get()));
            }
            server = AxleServer.start(config);
            target = server.url();
            backend = config.backendStore().dialect() + " ("
                    + (store.isPresent() ? "PostgreSQL at the given URI" : "embedded H2 file") + ")";
        }
        try {
            new TrackingBenchmark(target, seconds, only).run(backend);
            if (url.isEmpty() && (only.equals("all") || only.equals("log-batch"))) {
                BackendStore floorStore =
                        store.map(BackendStore::parse).orElseGet(() -> BackendStore.embedded(data.resolve("floor")));
                DatabaseFloor.measure(floorStore, seconds);
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private void run(String backend) throws Exception {
        System.out.printf(
                Locale.ROOT,
                "# Axle tracking benchmark, %s, %s, %d cores, Java %s%n%n",
                LocalDate.now(),
                backend,
                Runtime.getRuntime().availableProcessors(),
                Runtime.version());
        System.out.println("| figure | result |");
        System.out.println("|---|---|");
        if (selected("log-batch")) {
            logBatch(1);
            logBatch(16);
        }
        if (selected("search")) {
            search();
        }
        if (selected("history")) {
            history();
        }
    }

    private boolean selected(String figure) {
        return only.equals("all") || only.equals(figure);
    }

    // log-batch: 100 metrics per request (10 keys x 10 steps), each client on its own run.
    private void logBatch(int clients) throws Exception {
        String experiment = createExperiment("log-batch-" + clients + "-" + System.nanoTime());
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            runs.add(createRun(experiment));
        }
        AtomicLong requests = new AtomicLong();
        long warmupEnd = System.nanoTime() + 5_000_000_000L;
        long end = warmupEnd + seconds * 1_000_000_000L;
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<?>> futures = new ArrayList<>();
            for (String run : runs) {
                futures.add(pool.submit(() -> {
                    long step = 0;
                    while (true) {
                        long now = System.nanoTime();
                        if (now > end) {
                            return null;
                        }
                        post("runs/log-batch", batchBody(run, step));
                        step += 10;
                        if (now > warmupEnd) {
                            requests.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        double perSecond = requests.get() / (double) seconds;
        row(
                "log-batch, 100 metrics/request, " + clients + (clients == 1 ? " client" : " clients"),
                String.format(Locale.ROOT, "%.0f requests/s = %.0f metrics/s", perSecond, perSecond * 100));
    }

    private static String batchBody(String run, long firstStep) {
        StringBuilder body =
                new StringBuilder(8192).append("{\"run_id\":\"").append(run).append("\",\"metrics\":[");
        long timestamp = System.currentTimeMillis();
        for (int step = 0; step < 10; step++) {
            for (int key = 0; key < 10; key++) {
                if (step + key > 0) {
                    body.append(',');
                }
                body.append("{\"key\":\"metric_")
                        .append(key)
                        .append("\",\"value\":")
                        .append(Math.random())
                        .append(",\"timestamp\":")
                        .append(timestamp)
                        .append(",\"step\":")
                        .append(firstStep + step)
                        .append('}');
            }
        }
        return body.append("]}").toString();
    }

    // runs/search over 10,000 runs with 10 params, 20 metrics and 5 tags each.
    private void search() throws Exception {
        String experiment = createExperiment("search-" + System.nanoTime());
        long loadStart = System.nanoTime();
        Random random = new Random(42);
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                long seed = random.nextLong();
                futures.add(pool.submit(() -> {
                    String run = createRun(experiment);
                    post("runs/log-batch", searchRunBody(run, new Random(seed)));
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        String body =
                "{\"experiment_ids\":[\"" + experiment + "\"],\"filter\":\"metrics.m1 > 0.5 and params.p1 = 'x'\","
                        + "\"order_by\":[\"metrics.m2 DESC\"],\"max_results\":100}";
        JsonNode first = MAPPER.readTree(post("runs/search", body));
        int returned = first.path("runs").size();
        for (int i = 0; i < 200; i++) {
            post("runs/search", body);
        }
        measureSearch(body, returned, loadSeconds, i -> body, "the same request repeated");
        // a new threshold each time: no result cache in the database or elsewhere can answer it
        measureSearch(
                body,
                returned,
                loadSeconds,
                i -> body.replace("metrics.m1 > 0.5", "metrics.m1 > " + (0.5 + i * 1e-7)),
                "the threshold varied on every request");
    }

    private void measureSearch(
            String body, int returned, double loadSeconds, java.util.function.IntFunction<String> request, String how)
            throws Exception {
        long[] latencies = new long[Math.max(200, seconds * 50)];
        long start = System.nanoTime();
        for (int i = 0; i < latencies.length; i++) {
            String next = request.apply(i);
            long t0 = System.nanoTime();
            post("runs/search", next);
            latencies[i] = System.nanoTime() - t0;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        row(
                String.format(
                        Locale.ROOT,
                        "runs/search over 10,000 runs (`metrics.m1 > 0.5 and params.p1 = 'x'`, order by metrics.m2, max_results 100; %d runs returned; loading took %.0f s), %s",
                        returned,
                        loadSeconds,
                        how),
                String.format(
                        Locale.ROOT,
                        "p50 %.2f ms, p99 %.2f ms, %.0f requests/s (1 client)",
                        latencies[latencies.length / 2] / 1e6,
                        latencies[latencies.length * 99 / 100] / 1e6,
                        latencies.length / elapsed));
    }

    private static String searchRunBody(String run, Random random) {
        StringBuilder body =
                new StringBuilder(4096).append("{\"run_id\":\"").append(run).append("\",\"metrics\":[");
        long timestamp = System.currentTimeMillis();
        for (int i = 1; i <= 20; i++) {
            body.append(i > 1 ? "," : "")
                    .append("{\"key\":\"m")
                    .append(i)
                    .append("\",\"value\":")
                    .append(random.nextDouble())
                    .append(",\"timestamp\":")
                    .append(timestamp)
                    .append(",\"step\":0}");
        }
        body.append("],\"params\":[");
        for (int i = 1; i <= 10; i++) {
            String value = i == 1 ? (random.nextBoolean() ? "x" : "y") : "value-" + random.nextInt(100);
            body.append(i > 1 ? "," : "")
                    .append("{\"key\":\"p")
                    .append(i)
                    .append("\",\"value\":\"")
                    .append(value)
                    .append("\"}");
        }
        body.append("],\"tags\":[");
        for (int i = 1; i <= 5; i++) {
            body.append(i > 1 ? "," : "")
                    .append("{\"key\":\"t")
                    .append(i)
                    .append("\",\"value\":\"tag-")
                    .append(random.nextInt(10))
                    .append("\"}");
        }
        return body.append("]}").toString();
    }

    // metrics/get-history of one 100,000-point metric.
    private void history() throws Exception {
        String experiment = createExperiment("history-" + System.nanoTime());
        String run = createRun(experiment);
        long timestamp = System.currentTimeMillis();
        for (int batch = 0; batch < 100; batch++) {
            StringBuilder body = new StringBuilder(100_000)
                    .append("{\"run_id\":\"")
                    .append(run)
                    .append("\",\"metrics\":[");
            for (int i = 0; i < 1000; i++) {
                long step = batch * 1000L + i;
                body.append(i > 0 ? "," : "")
                        .append("{\"key\":\"loss\",\"value\":")
                        .append(1.0 / (step + 1))
                        .append(",\"timestamp\":")
                        .append(timestamp + step)
                        .append(",\"step\":")
                        .append(step)
                        .append('}');
            }
            post("runs/log-batch", body.append("]}").toString());
        }
        String path = "metrics/get-history?run_id=" + run + "&metric_key=loss";
        int points = MAPPER.readTree(get(path)).path("metrics").size();
        for (int i = 0; i < 5; i++) {
            get(path);
        }
        int count = Math.max(20, seconds * 3);
        long[] latencies = new long[count];
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            get(path);
            latencies[i] = System.nanoTime() - t0;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        row(
                "metrics/get-history of a " + points + "-point metric",
                String.format(
                        Locale.ROOT,
                        "p50 %.1f ms, %.1f requests/s = %.2f M points/s (1 client)",
                        latencies[count / 2] / 1e6,
                        count / elapsed,
                        count * points / elapsed / 1e6));
    }

    private String createExperiment(String name) throws IOException, InterruptedException {
        return MAPPER.readTree(post("experiments/create", "{\"name\":\"" + name + "\"}"))
                .path("experiment_id")
                .asText();
    }

    private String createRun(String experiment) throws IOException, InterruptedException {
        return MAPPER.readTree(post(
                        "runs/create",
                        "{\"experiment_id\":\"" + experiment + "\",\"start_time\":" + System.currentTimeMillis() + "}"))
                .path("run")
                .path("info")
                .path("run_id")
                .asText();
    }

    private String post(String path, String body) throws IOException, InterruptedException {
        return check(http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/2.0/mlflow/" + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private String get(String path) throws IOException, InterruptedException {
        return check(http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/2.0/mlflow/" + path))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private static String check(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    response.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static void row(String figure, String result) {
        System.out.println("| " + figure + " | " + result + " |");
    }

    private static Optional<String> option(String[] args, String name) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Optional.of(args[i + 1]);
            }
        }
        return Optional.empty();
    }
}
