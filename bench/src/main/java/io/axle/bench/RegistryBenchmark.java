package io.axle.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.server.AxleServer;
import io.axle.server.ServerConfig;
import io.axle.server.artifacts.ArtifactsDestination;
import io.axle.server.db.BackendStore;
import io.axle.storage.BlobContent;
import io.axle.storage.BlobKey;
import io.axle.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * The registry benchmark of BENCHMARKS.md: registered-models/search and model-versions/search at 10,000 models × 10
 * versions (p50/p99), and artifact upload and download through the proxy as a ratio to a plain file copy of the
 * same bytes on the same disk in the same run.
 *
 * <p>Arguments: {@code [--backend-store-uri URI] [--artifacts-destination DIR] [--models N] [--versions N]
 * [--api-models N] [--requests N] [--size-mb N] [--rounds N] [--only search|transfer]}. It starts an Axle server in
 * this process on a fresh embedded H2 file database (or the given backend store, which must be empty).
 *
 * <p>Seeding: the first {@code --api-models} models (default 20), with their versions and tags, are registered
 * through the API, each version a real copy of a small model. Registering 100,000 versions that way would copy
 * 100,000 models, so the rest are inserted with plain JDBC straight into the registry tables of V2__registry.sql,
 * shaped as the API leaves them: READY, a storage key, the model's last_version set, tags on models and versions.
 * They have no registry events and no files on disk, which search never reads.
 */
public final class RegistryBenchmark {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String API = "/api/2.0/mlflow/";
    private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts/";
    private static final int TEAMS = 50;

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;
    private final Options options;

    private RegistryBenchmark(String base, Options options) {
        this.base = base;
        this.options = options;
    }

    record Options(
            Optional<String> backendStoreUri,
            Optional<String> artifactsDestination,
            int models,
            int versions,
            int apiModels,
            int requests,
            int sizeMegabytes,
            int rounds,
            String only) {
        static Options parse(String[] args) {
            return new Options(
                    option(args, "--backend-store-uri"),
                    option(args, "--artifacts-destination"),
                    Integer.parseInt(option(args, "--models").orElse("10000")),
                    Integer.parseInt(option(args, "--versions").orElse("10")),
                    Integer.parseInt(option(args, "--api-models").orElse("20")),
                    Integer.parseInt(option(args, "--requests").orElse("500")),
                    Integer.parseInt(option(args, "--size-mb").orElse("1024")),
                    Integer.parseInt(option(args, "--rounds").orElse("3")),
                    option(args, "--only").orElse("all"));
        }

        boolean selected(String figure) {
            return only.equals("all") || only.equals(figure);
        }
    }

    /**
     * The artifacts destination: a directory (default: under the temporary data directory), {@code s3://bucket/prefix}
     * configured from the environment as the server is ({@code bench/registry --artifacts-destination s3mock} starts
     * the tests' S3-compatible server beside it and points here).
     */
    private static ArtifactsDestination destination(Options options, Path data) {
        String given =
                options.artifactsDestination().orElse(data.resolve("artifacts").toString());
        if (given.startsWith("s3://")) {
            return new ArtifactsDestination(given, System.getenv());
        }
        return ArtifactsDestination.local(Path.of(given));
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path data = Files.createTempDirectory("axle-registry-bench");
        ArtifactsDestination artifacts = destination(options, data);
        ServerConfig embedded = ServerConfig.embedded(data);
        BackendStore store = options.backendStoreUri().map(BackendStore::parse).orElse(embedded.backendStore());
        ServerConfig config = new ServerConfig(
                embedded.host(),
                0,
                store,
                artifacts,
                embedded.defaultArtifactRoot(),
                true,
                embedded.databasePoolSize());
        try (AxleServer server = AxleServer.start(config)) {
            System.out.printf(
                    Locale.ROOT,
                    "# Axle registry benchmark, %s, %s (%s), artifacts in %s, %d cores, Java %s, load average %s%n%n",
                    LocalDate.now(),
                    store.dialect(),
                    options.backendStoreUri().isPresent() ? "the given backend store" : "embedded H2 file",
                    artifacts,
                    Runtime.getRuntime().availableProcessors(),
                    Runtime.version(),
                    loadAverage());
            RegistryBenchmark benchmark = new RegistryBenchmark(server.url(), options);
            if (options.selected("search")) {
                benchmark.search(store);
            }
            if (options.selected("transfer")) {
                benchmark.transfer(
                        artifacts.localDirectory().orElse(data.resolve("artifacts")),
                        artifacts.localDirectory().isPresent() ? Optional.empty() : Optional.of(artifacts.open()));
            }
        }
    }

    /** Other work on the machine skews every figure; the one-minute load average says how much there was. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    // ---- search

    private void search(BackendStore store) throws Exception {
        long seedStart = System.nanoTime();
        int apiModels = Math.min(options.apiModels(), options.models());
        String runId = seedThroughTheApi(apiModels);
        double apiSeconds = (System.nanoTime() - seedStart) / 1e9;
        long bulkStart = System.nanoTime();
        RegistryRows.insert(store, apiModels, options.models(), options.versions(), TEAMS);
        double bulkSeconds = (System.nanoTime() - bulkStart) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "Seeded %,d models × %d versions: %d models through the API in %.1f s, the rest over JDBC in %.1f s.%n%n",
                options.models(),
                options.versions(),
                apiModels,
                apiSeconds,
                bulkSeconds);
        System.out.println("| search (max_results 100) | returned | p50 | p99 | requests/s (1 client) |");
        System.out.println("|---|---|---|---|---|");
        Random random = new Random(7);
        int models = options.models();
        measure(
                "registered-models/search `name LIKE 'model-12%'` order by name",
                i -> modelSearch("name LIKE 'model-12%'"));
        measure(
                "registered-models/search `name LIKE 'model-<n>%'`, n varied",
                i -> modelSearch("name LIKE 'model-" + (10 + random.nextInt(90)) + "%'"));
        measure(
                "registered-models/search `tags.team = 'team-7'` order by name",
                i -> modelSearch("tags.team = 'team-7'"));
        measure(
                "registered-models/search `tags.team = '<team>' AND name LIKE 'model-1%'`, team varied",
                i -> modelSearch("tags.team = 'team-" + random.nextInt(TEAMS) + "' AND name LIKE 'model-1%'"));
        measure("model-versions/search `name='model-123'`", i -> versionSearch("name='model-123'"));
        measure(
                "model-versions/search `name='model-<n>'`, n varied",
                i -> versionSearch("name='model-" + random.nextInt(models) + "'"));
        measure(
                "model-versions/search `run_id='<id>'` (API-registered run)",
                i -> versionSearch("run_id='" + runId + "'"));
        measure(
                "model-versions/search `run_id='<id>'`, id varied (JDBC-seeded)",
                i -> versionSearch("run_id='"
                        + RegistryRows.runId(
                                apiModels + random.nextInt(Math.max(1, models - apiModels)),
                                1 + random.nextInt(options.versions()))
                        + "'"));
        System.out.println();
    }

    /** Registers {@code count} models with their versions through the API, each version a copy of one small model. */
    private String seedThroughTheApi(int count) throws IOException, InterruptedException {
        JsonNode run = json(post("runs/create", "{\"experiment_id\":\"0\"}")).path("run");
        String runId = run.path("info").path("run_id").asText();
        String root = run.path("info").path("artifact_uri").asText().replaceFirst("^mlflow-artifacts:/", "");
        put(PROXY + root + "/model/MLmodel", "flavors:\n  python_function: {}\n".getBytes(StandardCharsets.UTF_8));
        put(PROXY + root + "/model/model.bin", new byte[64 * 1024]);
        for (int model = 0; model < count; model++) {
            String name = RegistryRows.name(model);
            post(
                    "registered-models/create",
                    "{\"name\":\"" + name + "\",\"tags\":[{\"key\":\"team\",\"value\":\"team-" + model % TEAMS
                            + "\"}]}");
            for (int version = 1; version <= options.versions(); version++) {
                post(
                        "model-versions/create",
                        "{\"name\":\"" + name + "\",\"source\":\"runs:/" + runId + "/model\",\"run_id\":\"" + runId
                                + "\",\"tags\":[{\"key\":\"seed\",\"value\":\"api\"}]}");
            }
        }
        return runId;
    }

    private String modelSearch(String filter) {
        return "registered-models/search?max_results=100&order_by=" + encode("name ASC") + "&filter=" + encode(filter);
    }

    private String versionSearch(String filter) {
        return "model-versions/search?max_results=100&filter=" + encode(filter);
    }

    private void measure(String figure, IntFunction<String> request) throws Exception {
        int returned = results(get(request.apply(0)));
        for (int i = 0; i < Math.max(20, options.requests() / 5); i++) {
            get(request.apply(i));
        }
        long[] latencies = new long[options.requests()];
        long start = System.nanoTime();
        for (int i = 0; i < latencies.length; i++) {
            String path = request.apply(i);
            long t0 = System.nanoTime();
            get(path);
            latencies[i] = System.nanoTime() - t0;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        System.out.printf(
                Locale.ROOT,
                "| %s | %d | %.2f ms | %.2f ms | %.0f |%n",
                figure,
                returned,
                latencies[latencies.length / 2] / 1e6,
                latencies[latencies.length * 99 / 100] / 1e6,
                latencies.length / elapsed);
    }

    private static int results(String body) throws IOException {
        JsonNode response = MAPPER.readTree(body);
        return response.has("registered_models")
                ? response.path("registered_models").size()
                : response.path("model_versions").size();
    }

    // ---- transfer

    /**
     * @param direct for an S3 destination, a store on the same bucket: the same bytes sent to and read from S3 by the
     *     AWS SDK without Axle in between, the reference an S3 destination is held against
     */
    private void transfer(Path artifacts, Optional<BlobStore> direct) throws Exception {
        long size = options.sizeMegabytes() * 1024L * 1024L;
        Path scratch = Files.createDirectories(artifacts.getParent().resolve("transfer-scratch"));
        Path source = scratch.resolve("source.bin");
        writeRandom(source, size);
        System.out.printf(
                Locale.ROOT,
                "Transfer of one %,d MiB file, %d rounds, median round reported; scratch files in %s "
                        + "(the artifacts destination's disk).%n%n",
                options.sizeMegabytes(),
                options.rounds(),
                scratch);
        List<Double> copies = new ArrayList<>();
        List<Double> syncedCopies = new ArrayList<>();
        List<Double> uploads = new ArrayList<>();
        List<Double> downloads = new ArrayList<>();
        List<Double> directPuts = new ArrayList<>();
        List<Double> directGets = new ArrayList<>();
        for (int round = 0; round < options.rounds(); round++) {
            if (direct.isPresent()) {
                BlobKey directKey = BlobKey.of("direct/round-" + round + "/source.bin");
                long start = System.nanoTime();
                try (InputStream in = Files.newInputStream(source)) {
                    direct.get().put(directKey, in, size);
                }
                directPuts.add(throughput(size, start));
                Path fetched = scratch.resolve("direct.bin");
                start = System.nanoTime();
                try (BlobContent content = direct.get().open(directKey)) {
                    Files.copy(content.stream(), fetched);
                }
                directGets.add(throughput(size, start));
                Files.delete(fetched);
                direct.get().delete(directKey);
            }
            Path copy = scratch.resolve("copy.bin");
            long t0 = System.nanoTime();
            Files.copy(source, copy);
            copies.add(throughput(size, t0));
            Files.delete(copy);

            t0 = System.nanoTime();
            Files.copy(source, copy);
            try (FileChannel channel = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            syncedCopies.add(throughput(size, t0));
            Files.delete(copy);

            String key = "transfer/round-" + round + "/source.bin";
            t0 = System.nanoTime();
            HttpResponse<String> upload = http.send(
                    HttpRequest.newBuilder(URI.create(base + PROXY + key))
                            .header("Content-Type", "application/octet-stream")
                            .PUT(HttpRequest.BodyPublishers.ofFile(source))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            uploads.add(throughput(size, t0));
            check(upload);

            Path downloaded = scratch.resolve("downloaded.bin");
            t0 = System.nanoTime();
            HttpResponse<Path> download = http.send(
                    HttpRequest.newBuilder(URI.create(base + PROXY + key)).GET().build(),
                    HttpResponse.BodyHandlers.ofFile(downloaded));
            downloads.add(throughput(size, t0));
            if (download.statusCode() != 200 || Files.size(downloaded) != size) {
                throw new IllegalStateException("Download of " + key + " answered " + download.statusCode() + " with "
                        + Files.size(downloaded) + " bytes");
            }
            Files.delete(downloaded);
            http.send(
                    HttpRequest.newBuilder(URI.create(base + PROXY + key))
                            .DELETE()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
        }
        Files.delete(source);
        double copy = median(copies);
        double synced = median(syncedCopies);
        System.out.println("| transfer | MiB/s (median) | ratio to Files.copy | ratio to Files.copy + fsync |");
        System.out.println("|---|---|---|---|");
        transferRow("Files.copy, same disk", copy, copy, synced);
        transferRow("Files.copy + fsync, same disk", synced, copy, synced);
        transferRow("upload: PUT through the artifact proxy (stored and fsynced)", median(uploads), copy, synced);
        transferRow("download: GET through the artifact proxy, streamed to a file", median(downloads), copy, synced);
        System.out.println();
        if (direct.isPresent()) {
            double put = median(directPuts);
            double get = median(directGets);
            System.out.println("| S3 destination | MiB/s (median) | ratio to the direct S3 transfer |");
            System.out.println("|---|---|---|");
            System.out.printf(Locale.ROOT, "| direct PUT to S3 (AWS SDK, no Axle) | %.0f | 1.00 |%n", put);
            System.out.printf(Locale.ROOT, "| direct GET from S3 (AWS SDK, no Axle) | %.0f | 1.00 |%n", get);
            System.out.printf(
                    Locale.ROOT,
                    "| upload through the artifact proxy | %.0f | %.2f |%n",
                    median(uploads),
                    median(uploads) / put);
            System.out.printf(
                    Locale.ROOT,
                    "| download through the artifact proxy | %.0f | %.2f |%n",
                    median(downloads),
                    median(downloads) / get);
            System.out.println();
            direct.get().close();
        }
    }

    private static void transferRow(String figure, double mibPerSecond, double copy, double synced) {
        System.out.printf(
                Locale.ROOT,
                "| %s | %.0f | %.2f | %.2f |%n",
                figure,
                mibPerSecond,
                mibPerSecond / copy,
                mibPerSecond / synced);
    }

    private static void writeRandom(Path file, long size) throws IOException {
        Random random = new Random(42);
        byte[] block = new byte[1024 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, size - written));
            }
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    private static double throughput(long bytes, long startNanos) {
        return bytes / (1024.0 * 1024.0) / ((System.nanoTime() - startNanos) / 1e9);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    // ---- HTTP

    private String post(String path, String body) throws IOException, InterruptedException {
        return check(http.send(
                HttpRequest.newBuilder(URI.create(base + API + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private String get(String path) throws IOException, InterruptedException {
        return check(http.send(
                HttpRequest.newBuilder(URI.create(base + API + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private void put(String path, byte[] content) throws IOException, InterruptedException {
        check(http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                        .build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private static JsonNode json(String body) throws IOException {
        return MAPPER.readTree(body);
    }

    private static String check(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    response.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
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
