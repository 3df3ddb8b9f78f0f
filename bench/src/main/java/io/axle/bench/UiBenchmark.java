package io.axle.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.server.AxleServer;
import io.axle.server.ServerConfig;
import io.axle.server.db.BackendStore;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The UI benchmark of BENCHMARKS.md: the server time of every UI page ({@code Server-Timing: app;dur=}) with 10,000
 * runs in one experiment and 1,000 registered models, against the 200 ms budget, and beside it in the same run the
 * JSON API call each page stands in for (what a script or MLflow's own UI would ask the same server for).
 *
 * <p>Arguments: {@code [--backend-store-uri URI] [--runs N] [--jdbc-runs N] [--models N] [--versions N]
 * [--requests N]}. It starts an
 * Axle server in this process on a fresh embedded H2 file database (or the given, empty, backend store). Runs are
 * created through the REST API (runs/create and log-batch: 5 params, 3 metrics each; one run with a 5,000-step
 * history); {@code --jdbc-runs} more are inserted over JDBC ({@link TrackingRows}) for a larger experiment than the
 * API fills in minutes; models and versions are inserted over JDBC as {@link RegistryRows} does, with stages and
 * aliases.
 */
public final class UiBenchmark {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String API = "/api/2.0/mlflow/";
    private static final Pattern SERVER_TIMING = Pattern.compile("app;dur=([0-9.]+)");

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;

    private UiBenchmark(String base) {
        this.base = base;
    }

    public static void main(String[] args) throws Exception {
        Optional<String> backendStoreUri = option(args, "--backend-store-uri");
        int runs = Integer.parseInt(option(args, "--runs").orElse("10000"));
        int models = Integer.parseInt(option(args, "--models").orElse("1000"));
        int versions = Integer.parseInt(option(args, "--versions").orElse("5"));
        int requests = Integer.parseInt(option(args, "--requests").orElse("40"));
        int jdbcRuns = Integer.parseInt(option(args, "--jdbc-runs").orElse("0"));
        Path data = Files.createTempDirectory("axle-ui-bench");
        ServerConfig embedded = ServerConfig.embedded(data);
        BackendStore store = backendStoreUri.map(BackendStore::parse).orElse(embedded.backendStore());
        ServerConfig config = embedded.withBackendStore(store).withPort(0);
        try (AxleServer server = AxleServer.start(config)) {
            System.out.printf(
                    Locale.ROOT,
                    "# Axle UI benchmark, %s, %s (%s), %d cores, Java %s, load average %s%n%n",
                    LocalDate.now(),
                    store.dialect(),
                    backendStoreUri.isPresent() ? "the given backend store" : "embedded H2 file",
                    Runtime.getRuntime().availableProcessors(),
                    Runtime.version(),
                    loadAverage());
            UiBenchmark benchmark = new UiBenchmark(server.url());
            benchmark.run(store, runs, jdbcRuns, models, versions, requests);
        }
    }

    private void run(BackendStore store, int runs, int jdbcRuns, int models, int versions, int requests)
            throws Exception {
        long seedStart = System.nanoTime();
        String experiment = post("experiments/create", "{\"name\":\"ui-bench\"}")
                .get("experiment_id")
                .asText();
        List<String> runIds = seedRuns(experiment, runs);
        String longRun = runIds.get(0);
        StringBuilder history = new StringBuilder();
        for (int batch = 0; batch < 5; batch++) {
            history.setLength(0);
            for (int step = batch * 1000; step < (batch + 1) * 1000; step++) {
                history.append(history.isEmpty() ? "" : ",")
                        .append(String.format(
                                Locale.ROOT,
                                "{\"key\":\"loss\",\"value\":%.5f,\"timestamp\":%d,\"step\":%d}",
                                1.0 / (1 + step),
                                1_700_000_000_000L + step,
                                step));
            }
            post("runs/log-batch", "{\"run_id\":\"" + longRun + "\",\"metrics\":[" + history + "]}");
        }
        double runSeconds = (System.nanoTime() - seedStart) / 1e9;
        long jdbcStart = System.nanoTime();
        TrackingRows.insert(store, Long.parseLong(experiment), 0, jdbcRuns);
        double jdbcSeconds = (System.nanoTime() - jdbcStart) / 1e9;
        long modelStart = System.nanoTime();
        RegistryRows.insert(store, 0, models, versions, 50);
        stagesAndAliases(store, versions);
        double modelSeconds = (System.nanoTime() - modelStart) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "Seeded %,d runs in one experiment: %,d through the API in %.1f s (one with a 5,000-step loss "
                        + "history) and %,d over JDBC in %.1f s; %,d models × %d versions with stages and aliases over "
                        + "JDBC in %.1f s.%n%n",
                runs + jdbcRuns,
                runs,
                runSeconds,
                jdbcRuns,
                jdbcSeconds,
                models,
                versions,
                modelSeconds);

        String model = RegistryRows.name(models / 2);
        String encodedModel = URLEncoder.encode(model, StandardCharsets.UTF_8);
        String compare = "/compare?runs=" + runIds.get(0) + "&runs=" + runIds.get(1) + "&runs=" + runIds.get(2);
        String filter = URLEncoder.encode("metrics.acc > 0.5 and params.lr = '0.01'", StandardCharsets.UTF_8);
        String ordered = URLEncoder.encode("metrics.acc DESC", StandardCharsets.UTF_8);
        List<Probe> probes = List.of(
                new Probe("Models (first page)", "/models", api("registered-models/search?max_results=50")),
                new Probe(
                        "Models, name search",
                        "/models?name=model-99",
                        api("registered-models/search?max_results=50&filter="
                                + URLEncoder.encode("name ILIKE '%model-99%'", StandardCharsets.UTF_8))),
                new Probe(
                        "Models, tag search",
                        "/models?tag=team%3Dteam-7",
                        api("registered-models/search?max_results=50&filter="
                                + URLEncoder.encode("tags.team = 'team-7'", StandardCharsets.UTF_8))),
                new Probe("Model page", "/models/" + encodedModel, api("registered-models/get?name=" + encodedModel)),
                new Probe(
                        "Model version + lineage",
                        "/models/" + encodedModel + "/versions/2",
                        "/api/2.0/axle/model-versions/lineage?name=" + encodedModel + "&version=2"),
                new Probe("Experiments", "/experiments", api("experiments/search?max_results=50")),
                new Probe(
                        String.format(Locale.ROOT, "Runs table (%,d runs)", runs + jdbcRuns),
                        "/experiments/" + experiment,
                        api("runs/search"),
                        "{\"experiment_ids\":[\"" + experiment + "\"],\"max_results\":50}"),
                new Probe(
                        "Runs table, filter + sort + columns",
                        "/experiments/" + experiment + "?filter=" + filter + "&order_by=" + ordered
                                + "&metrics=acc,loss&params=lr,depth",
                        api("runs/search"),
                        "{\"experiment_ids\":[\"" + experiment + "\"],\"max_results\":50,"
                                + "\"filter\":\"metrics.acc > 0.5 and params.lr = '0.01'\","
                                + "\"order_by\":[\"metrics.acc DESC\"]}"),
                new Probe(
                        "Run page (5,000-step chart)",
                        "/runs/" + longRun,
                        api("metrics/get-history-bulk-interval?run_ids=" + longRun
                                + "&metric_key=loss&max_results=500")),
                new Probe(
                        "Compare 3 runs",
                        compare,
                        api("metrics/get-history-bulk-interval?run_ids=" + runIds.get(0) + "&run_ids=" + runIds.get(1)
                                + "&run_ids=" + runIds.get(2) + "&metric_key=loss&max_results=500")),
                new Probe(
                        "Artifact browser", "/runs/" + longRun + "/artifacts", api("artifacts/list?run_id=" + longRun)),
                new Probe("Deployments", "/deployments", "/api/2.0/axle/deployments"),
                new Probe("Webhooks", "/webhooks", api("webhooks")),
                new Probe("GPUs", "/gpus", "/api/2.0/axle/gpu-pools"));

        System.out.printf(
                Locale.ROOT,
                "| page | server time p50 | p95 | max | budget | the JSON API call it stands for (client time p50) |%n");
        System.out.println("|---|---|---|---|---|---|");
        for (Probe probe : probes) {
            List<Double> server = new ArrayList<>();
            List<Double> reference = new ArrayList<>();
            for (int i = 0; i < requests + 5; i++) {
                double serverMillis = page(probe.page());
                double referenceMillis = probe.referenceBody() == null
                        ? timed(() -> get(probe.reference()))
                        : timed(() -> postRaw(probe.reference(), probe.referenceBody()));
                if (i >= 5) {
                    server.add(serverMillis);
                    reference.add(referenceMillis);
                }
            }
            List<Double> sorted = server.stream().sorted().toList();
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %.1f ms | %.1f ms | %.1f ms | %s | %.1f ms `%s` |%n",
                    probe.name(),
                    percentile(sorted, 0.50),
                    percentile(sorted, 0.95),
                    sorted.getLast(),
                    percentile(sorted, 0.95) < 200 ? "within 200 ms" : "OVER 200 ms",
                    percentile(reference.stream().sorted().toList(), 0.50),
                    probe.reference().replaceFirst("\\?.*", ""));
        }
    }

    private record Probe(String name, String page, String reference, String referenceBody) {
        Probe(String name, String page, String reference) {
            this(name, page, reference, null);
        }
    }

    private static String api(String path) {
        return API + path;
    }

    private List<String> seedRuns(String experiment, int runs) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> created = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                int index = i;
                created.add(clients.submit(() -> {
                    String name = index == 1 ? "<script>alert('run')</script>" : "run-" + index;
                    String run = post(
                                    "runs/create",
                                    "{\"experiment_id\":\"" + experiment + "\",\"run_name\":\"" + name
                                            + "\",\"start_time\":" + (1_700_000_000_000L + index) + "}")
                            .at("/run/info/run_id")
                            .asText();
                    post(
                            "runs/log-batch",
                            String.format(
                                    Locale.ROOT,
                                    "{\"run_id\":\"%s\",\"params\":[{\"key\":\"lr\",\"value\":\"%s\"},"
                                            + "{\"key\":\"depth\",\"value\":\"%d\"},{\"key\":\"optimizer\",\"value\":\"adam\"},"
                                            + "{\"key\":\"batch_size\",\"value\":\"64\"},{\"key\":\"seed\",\"value\":\"%d\"}],"
                                            + "\"metrics\":[{\"key\":\"acc\",\"value\":%.4f,\"timestamp\":1,\"step\":0},"
                                            + "{\"key\":\"loss\",\"value\":%.4f,\"timestamp\":1,\"step\":0},"
                                            + "{\"key\":\"f1\",\"value\":%.4f,\"timestamp\":1,\"step\":0}]}",
                                    run,
                                    index % 3 == 0 ? "0.01" : "0.001",
                                    index % 8,
                                    index,
                                    (index * 7919 % 1000) / 1000.0,
                                    (index * 104_729 % 1000) / 1000.0,
                                    (index * 31 % 1000) / 1000.0));
                    return run;
                }));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> run : created) {
                ids.add(run.get());
            }
            return ids;
        } finally {
            clients.shutdownNow();
        }
    }

    private static void stagesAndAliases(BackendStore store, int versions) throws SQLException {
        try (Connection connection = DriverManager.getConnection(
                        store.jdbcUrl(),
                        store.user().orElse(null),
                        store.password().orElse(null));
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE model_versions SET current_stage = 'Production' WHERE version = "
                    + Math.max(1, versions - 1));
            statement.executeUpdate("UPDATE model_versions SET current_stage = 'Staging' WHERE version = " + versions);
            statement.executeUpdate("INSERT INTO registered_model_aliases (model_id, alias, version) "
                    + "SELECT model_id, 'champion', " + Math.max(1, versions - 1) + " FROM registered_models");
        }
    }

    // ---- HTTP

    /** One page's server time from its {@code Server-Timing} header. */
    private double page(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        Matcher matcher = SERVER_TIMING.matcher(
                response.headers().firstValue("Server-Timing").orElse(""));
        if (!matcher.find()) {
            throw new IllegalStateException(path + " has no Server-Timing header");
        }
        return Double.parseDouble(matcher.group(1));
    }

    private interface Call {
        void run() throws IOException, InterruptedException;
    }

    private static double timed(Call call) throws IOException, InterruptedException {
        long start = System.nanoTime();
        call.run();
        return (System.nanoTime() - start) / 1e6;
    }

    private JsonNode post(String path, String body) throws IOException, InterruptedException {
        return MAPPER.readTree(postRaw(API + path, body));
    }

    private String postRaw(String path, String body) throws IOException, InterruptedException {
        return check(http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private String get(String path) throws IOException, InterruptedException {
        return check(http.send(
                HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString()));
    }

    private static String check(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    response.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static double percentile(List<Double> sorted, double fraction) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(fraction * sorted.size()) - 1));
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
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
