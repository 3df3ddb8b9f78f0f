package io.axle.server.deploy;

import static io.axle.server.deploy.DeployFixtures.DEPLOYMENTS;
import static io.axle.server.deploy.DeployFixtures.POOLS;
import static io.axle.server.deploy.DeployFixtures.await;
import static io.axle.server.deploy.DeployFixtures.deploymentOf;
import static io.axle.server.deploy.DeployFixtures.ok;
import static io.axle.server.deploy.DeployFixtures.registerVersion;
import static io.axle.server.deploy.DeployFixtures.setAlias;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.axle.gpu.Gpu;
import io.axle.gpu.GpuSnapshot;
import io.axle.gpu.metrics.GpuExporter;
import io.axle.gpu.metrics.GpuExporterConfig;
import io.axle.gpu.metrics.ReservedMemory;
import io.axle.server.AxleServer;
import io.axle.server.db.BackendStore;
import io.axle.server.db.Dialect;
import io.axle.server.deploy.ExporterScraper.Scrape;
import io.axle.server.deploy.ExporterScraper.ScrapeFailed;
import io.axle.server.deploy.ExporterScraper.Scraped;
import io.axle.server.deploy.PrometheusSamples.Sample;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.TestDatabases;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GPU pools learned from {@code axle gpu exporter}s: real exporters on port 0 serving recorded snapshots, the pool's
 * GPUs read from them, admission against their live free memory, and an exporter that is down.
 */
class DeployExporterPoolTest {
    private static final long GIB = 1024L * 1024 * 1024;
    private static final String GPU_A = "GPU-5f2a9c1e-7d1b-4c3a-9e0f-1a2b3c4d5e6f";
    private static final String GPU_B = "GPU-0b7e4d2c-3a19-4f8e-b6d5-9c8a7b6e5d4c";

    @TempDir
    Path data;

    private final RecordingPublisher publisher = new RecordingPublisher();
    private final List<GpuExporter> exporters = new ArrayList<>();
    private BackendStore store;
    private AxleServer server;
    private ApiClient api;

    @BeforeEach
    void start() {
        store = TestDatabases.create(Dialect.H2);
        server = DeployFixtures.start(store, data, publisher);
        api = new ApiClient(server.url());
    }

    @AfterEach
    void stop() {
        exporters.forEach(GpuExporter::close);
        if (server != null) {
            server.close();
        }
        TestDatabases.drop(store);
    }

    @Test
    void theParserReadsTheSamplesOfAGoldenScrapeAndSkipsWhatItDoesNotKnow() throws IOException {
        List<Sample> samples = PrometheusSamples.parse(golden());

        assertThat(samples).extracting(Sample::name).doesNotContain("this").contains("some_other_exporter_metric");
        Sample other = samples.stream()
                .filter(sample -> sample.name().equals("some_other_exporter_metric"))
                .findFirst()
                .orElseThrow();
        assertThat(other.labels()).isEqualTo(Map.of("path", "C:\\temp", "quote", "say \"hi\""));
        assertThat(other.value()).isEqualTo(350.0);
        Sample timestamped = samples.stream()
                .filter(sample -> sample.name().equals("DCGM_FI_DEV_FB_FREE")
                        && sample.label("gpu").equals("1"))
                .findFirst()
                .orElseThrow();
        assertThat(timestamped.value()).isEqualTo(80000.0);

        Scraped scraped = (Scraped)
                new ExporterScraper(() -> Instant.EPOCH).snapshot(URI.create("http://node-1:9400/metrics"), samples);
        assertThat(scraped.snapshot().hostname()).isEqualTo("node-1");
        Gpu first = scraped.snapshot().gpu(GPU_A).orElseThrow();
        assertThat(first.name()).isEqualTo("NVIDIA A100-SXM4-80GB");
        assertThat(first.pciBusId()).isEqualTo("00000000:3B:00.0");
        assertThat(first.memoryTotalBytes()).isEqualTo(80 * GIB);
        assertThat(first.memoryUsedBytes()).isEqualTo(29952L * 1024 * 1024);
        assertThat(first.memoryFreeBytes()).isEqualTo(50 * GIB);
        assertThat(scraped.reservedBytes(first)).isEqualTo(4 * GIB);
        Gpu second = scraped.snapshot().gpu(GPU_B).orElseThrow();
        assertThat(second.index()).isEqualTo(1);
        assertThat(second.memoryTotalBytes()).isEqualTo(80 * GIB);
        assertThat(scraped.reservedBytes(second)).isZero();

        // an exporter that cannot read its own GPUs says so with axle_gpu_up 0
        assertThat(new ExporterScraper(() -> Instant.EPOCH)
                        .snapshot(
                                URI.create("http://node-2:9400/metrics"),
                                PrometheusSamples.parse(golden() + "axle_gpu_up 0\n")))
                .isEqualTo(new ScrapeFailed(
                        URI.create("http://node-2:9400/metrics"),
                        "it reports axle_gpu_up 0 (it cannot read its GPUs)"));
    }

    @Test
    void thePoolsGpusComeFromItsExporters() {
        URI node1 = exporter(
                "node-1",
                List.of(gpu(0, GPU_A, 80 * GIB, 30 * GIB), gpu(1, GPU_B, 80 * GIB, 0)),
                List.of(new ReservedMemory(GPU_B, 8 * GIB, "churn-api")));
        ok(api.post(POOLS, Map.of("name", "a100", "exporters", List.of(node1.toString()))));

        JsonNode pool = ok(api.get(POOLS + "/a100")).path("pool");
        assertThat(pool.path("exporters").get(0).asText()).isEqualTo(node1.toString());
        assertThat(pool.path("nodes").asInt()).isZero();

        JsonNode report = ok(api.get(POOLS + "/a100/gpus")).path("exporters").get(0);
        assertThat(report.path("exporter").asText()).isEqualTo(node1.toString());
        assertThat(report.path("hostname").asText()).isEqualTo("node-1");
        assertThat(report.has("error")).isFalse();
        JsonNode gpus = report.path("gpus");
        assertThat(gpus).hasSize(2);
        assertThat(gpus.get(0).path("uuid").asText()).isEqualTo(GPU_A);
        assertThat(gpus.get(0).path("memory_total_bytes").asLong()).isEqualTo(80 * GIB);
        assertThat(gpus.get(0).path("memory_free_bytes").asLong()).isEqualTo(50 * GIB);
        assertThat(gpus.get(1).path("axle_reserved_bytes").asLong()).isEqualTo(8 * GIB);
    }

    @Test
    void aReleaseThatFitsTheConfiguredShapeButNotTheLiveFreeMemoryIsBlocked() {
        // a 16 GiB GPU where a process from outside Axle uses 10 GiB: 6 GiB free, live
        URI node1 = exporter("node-1", List.of(gpu(0, GPU_A, 16 * GIB, 10 * GIB)), List.of());
        ok(api.post(
                POOLS,
                Map.of(
                        "name",
                        "t4",
                        "nodes",
                        1,
                        "gpus_per_node",
                        1,
                        "memory_per_gpu",
                        "16GiB",
                        "exporters",
                        List.of(node1.toString()))));
        ok(api.post(DEPLOYMENTS, gpuDeployment("fraud-api", "fraud", "t4")));

        setAlias(api, "fraud", "champion", version("fraud", 8 * GIB));
        await("blocked", () -> status("fraud-api").equals("BLOCKED"));
        assertThat(deploymentOf(api, "fraud-api").path("status_message").asText())
                .contains("GPU pool 't4'")
                .contains("live free memory from 1 exporter(s)")
                .contains("free 6.0 GiB = min(ledger 16.0 GiB − 0 B placed, NVML live 6.0 GiB)")
                .contains("needs 8.0 GiB > largest free 6.0 GiB");
        assertThat(publisher.published()).isEmpty();
    }

    @Test
    void whatAxleHasReservedOnAGpuComesOffItsLiveFreeMemory() {
        URI node1 = exporter(
                "node-1",
                List.of(gpu(0, GPU_A, 16 * GIB, 0)),
                List.of(new ReservedMemory(GPU_A, 12 * GIB, "training-job")));
        ok(api.post(POOLS, Map.of("name", "t4", "exporters", List.of(node1.toString()))));
        ok(api.post(DEPLOYMENTS, gpuDeployment("fraud-api", "fraud", "t4")));

        setAlias(api, "fraud", "champion", version("fraud", 8 * GIB));
        await("blocked", () -> status("fraud-api").equals("BLOCKED"));
        assertThat(deploymentOf(api, "fraud-api").path("status_message").asText())
                .contains("NVML live 4.0 GiB")
                .contains("needs 8.0 GiB > largest free 4.0 GiB");
    }

    @Test
    void anExporterThatIsDownFallsBackToTheConfiguredShape() {
        URI down = downExporter();
        ok(api.post(
                POOLS,
                Map.of(
                        "name",
                        "t4",
                        "nodes",
                        1,
                        "gpus_per_node",
                        1,
                        "memory_per_gpu",
                        "16GiB",
                        "exporters",
                        List.of(down.toString()))));
        ok(api.post(DEPLOYMENTS, gpuDeployment("fraud-api", "fraud", "t4")));

        setAlias(api, "fraud", "champion", version("fraud", 8 * GIB));
        await("released", () -> status("fraud-api").equals("READY"));
        assertThat(deploymentOf(api, "fraud-api").path("status_message").asText())
                .contains("exporter " + down + " cannot be read")
                .contains("admitted against the configured 1 × 1 × 16.0 GiB instead");
        assertThat(publisher.published()).hasSize(1);
        assertThat(ok(api.get(POOLS + "/t4/gpus"))
                        .path("exporters")
                        .get(0)
                        .path("error")
                        .asText())
                .isNotEmpty();
    }

    @Test
    void anExporterThatIsDownBlocksAPoolWithoutAConfiguredShapeNamingIt() {
        URI up = exporter("node-1", List.of(gpu(0, GPU_A, 80 * GIB, 0)), List.of());
        URI down = downExporter();
        ok(api.post(POOLS, Map.of("name", "a100", "exporters", List.of(up.toString(), down.toString()))));
        ok(api.post(DEPLOYMENTS, gpuDeployment("fraud-api", "fraud", "a100")));

        setAlias(api, "fraud", "champion", version("fraud", 8 * GIB));
        await("blocked", () -> status("fraud-api").equals("BLOCKED"));
        assertThat(deploymentOf(api, "fraud-api").path("status_message").asText())
                .contains("GPU pool 'a100': exporter " + down + " cannot be read")
                .doesNotContain("exporter " + up)
                .contains("give the pool a configured shape to fall back to");
        assertThat(publisher.published()).isEmpty();
    }

    @Test
    void aPoolNeedsAShapeOrHttpExporters() {
        assertThat(api.post(POOLS, Map.of("name", "empty")).body()).contains("'memory_per_gpu'", "'exporters'");
        assertThat(api.post(POOLS, Map.of("name", "ftp", "exporters", List.of("ftp://node-1/metrics")))
                        .body())
                .contains("must be an http(s) URL");
        assertThat(api.post(POOLS, Map.of("name", "bad", "exporters", List.of("http://node 1/metrics")))
                        .body())
                .contains("is not a URL");
        assertThat(api.post(POOLS, Map.of("name", "twice", "exporters", List.of("http://a/m", "http://a/m")))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void anAnswerThatIsNotAnExportersMetricsIsAFailedScrape() throws IOException {
        URI metrics = exporter("node-1", List.of(gpu(0, GPU_A, 16 * GIB, 0)), List.of());
        HttpServer huge = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        huge.createContext("/metrics", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                byte[] line = "x 1\n".repeat(256 * 1024).getBytes(UTF_8);
                for (int i = 0; i < 20; i++) {
                    out.write(line);
                }
            } catch (IOException e) {
                // the scraper hung up once it had enough
            }
        });
        huge.start();
        try {
            List<Scrape> scrapes = new ExporterScraper(() -> Instant.EPOCH)
                    .scrape(List.of(
                            metrics.resolve("/"),
                            metrics.resolve("/nope"),
                            URI.create("http://127.0.0.1:" + huge.getAddress().getPort() + "/metrics")));
            assertThat(scrapes).allMatch(ScrapeFailed.class::isInstance);
            assertThat(scrapes)
                    .map(scrape -> ((ScrapeFailed) scrape).reason())
                    .containsExactly(
                            "it reports no GPU memory (no DCGM_FI_DEV_FB_FREE with a UUID label)",
                            "HTTP 404",
                            "IOException: the answer is larger than 16 MiB");
        } finally {
            huge.stop(0);
        }
    }

    private URI exporter(String hostname, List<Gpu> gpus, List<ReservedMemory> reservations) {
        GpuSnapshot snapshot =
                new GpuSnapshot(hostname, "snapshot", Instant.EPOCH, Optional.empty(), Optional.empty(), gpus);
        GpuExporter exporter = GpuExporter.start(
                new GpuExporterConfig("127.0.0.1", 0, Duration.ZERO), () -> snapshot, () -> reservations);
        exporters.add(exporter);
        return exporter.metricsUrl();
    }

    /** The URL of an exporter that was started and stopped: nothing listens there. */
    private URI downExporter() {
        GpuExporter exporter = GpuExporter.start(
                new GpuExporterConfig("127.0.0.1", 0, Duration.ZERO),
                () -> {
                    throw new IllegalStateException("never read");
                },
                List::of);
        URI url = exporter.metricsUrl();
        exporter.close();
        return url;
    }

    private static Gpu gpu(int index, String uuid, long total, long used) {
        return Gpu.basic(index, uuid, "NVIDIA A100-SXM4-80GB", "00000000:3B:00." + index, total, used, total - used);
    }

    private ObjectNode gpuDeployment(String name, String model, String pool) {
        ObjectNode spec = DeployFixtures.deployment(name, model, "champion", "https://git.example.com/ml/gitops.git");
        spec.put("replicas", 1);
        spec.putObject("gpu").put("mode", "exclusive").put("count", 1);
        spec.put("gpu_pool", pool);
        return spec;
    }

    private String version(String model, long gpuMemoryBytes) {
        return registerVersion(api, model, Map.of("axle.gpu_memory_bytes", Long.toString(gpuMemoryBytes)));
    }

    private String status(String name) {
        return deploymentOf(api, name).path("status").asText();
    }

    private static String golden() throws IOException {
        try (InputStream in = DeployExporterPoolTest.class.getResourceAsStream("/deploy/exporters/dcgm-two-gpus.txt")) {
            return new String(in.readAllBytes(), UTF_8);
        }
    }
}
