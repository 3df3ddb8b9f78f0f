package io.axle.gpu.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.axle.gpu.GpuSnapshot;
import io.axle.gpu.GpuSource;
import io.axle.gpu.GpuUnavailableException;
import io.axle.gpu.testing.SampleGpuSnapshots;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class GpuExporterTest {
    private static final GpuExporterConfig ON_A_FREE_PORT = new GpuExporterConfig("127.0.0.1", 0, Duration.ZERO);

    private final HttpClient client = HttpClient.newHttpClient();
    private GpuExporter exporter;

    @AfterEach
    void stop() {
        if (exporter != null) {
            exporter.close();
        }
        client.close();
    }

    @Test
    void metricsAnswerDcgmNamesInPrometheusTextFormat() throws Exception {
        exporter = GpuExporter.start(ON_A_FREE_PORT, SampleGpuSnapshots::twoGpus, List::of);

        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        Map<String, String> samples = samples(response.body());
        assertThat(samples)
                .containsEntry(
                        "DCGM_FI_DEV_FB_USED{gpu=\"0\",UUID=\"" + SampleGpuSnapshots.H100_UUID
                                + "\",pci_bus_id=\"00000000:3B:00.0\",device=\"nvidia0\","
                                + "modelName=\"NVIDIA H100 80GB HBM3\",Hostname=\"node-7\"}",
                        "12288")
                .containsEntry("axle_gpu_up", "1")
                .containsEntry("axle_gpu_scrape_errors_total", "0");
        assertThat(response.body().lines().filter(line -> line.startsWith("#")))
                .allMatch(line -> line.startsWith("# HELP ") || line.startsWith("# TYPE "));
    }

    @Test
    void everyScrapeReadsAFreshSnapshot() throws Exception {
        CountingSource source = new CountingSource();
        exporter = GpuExporter.start(ON_A_FREE_PORT, source, List::of);

        get("/metrics");
        get("/metrics");

        assertThat(source.reads.get()).isEqualTo(2);
    }

    @Test
    void scrapesWithinTheMinimumIntervalShareOneSnapshot() throws Exception {
        CountingSource source = new CountingSource();
        exporter = GpuExporter.start(new GpuExporterConfig("127.0.0.1", 0, Duration.ofHours(1)), source, List::of);

        get("/metrics");
        get("/metrics");

        assertThat(source.reads.get()).isEqualTo(1);
    }

    @Test
    void aFailingSourceStillAnswers200WithUpZeroAndCountsTheFailures() throws Exception {
        GpuSource noDriver = () -> {
            throw new GpuUnavailableException("NVML: driver not loaded");
        };
        exporter = GpuExporter.start(ON_A_FREE_PORT, noDriver, List::of);

        get("/metrics");
        HttpResponse<String> second = get("/metrics");

        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(samples(second.body()))
                .containsOnly(Map.entry("axle_gpu_up", "0"), Map.entry("axle_gpu_scrape_errors_total", "2"));
    }

    @Test
    void reservationsAreReadOnEveryScrape() throws Exception {
        exporter = GpuExporter.start(
                ON_A_FREE_PORT,
                SampleGpuSnapshots::twoGpus,
                () -> List.of(new ReservedMemory(SampleGpuSnapshots.A10_UUID, 4096, "serving/ocr")));

        assertThat(samples(get("/metrics").body()))
                .containsEntry(
                        "axle_gpu_reserved_bytes{gpu=\"1\",UUID=\"" + SampleGpuSnapshots.A10_UUID
                                + "\",owner=\"serving/ocr\"}",
                        "4096");
    }

    @Test
    void theIndexLinksToTheMetrics() throws Exception {
        exporter = GpuExporter.start(ON_A_FREE_PORT, SampleGpuSnapshots::twoGpus, List::of);

        HttpResponse<String> response = get("/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("href=\"/metrics\"");
    }

    @Test
    void anotherPathIsNotFound() throws Exception {
        exporter = GpuExporter.start(ON_A_FREE_PORT, SampleGpuSnapshots::twoGpus, List::of);

        assertThat(get("/metrics/extra").statusCode()).isEqualTo(404);
        assertThat(get("/favicon.ico").statusCode()).isEqualTo(404);
    }

    @Test
    void aPostIsMethodNotAllowed() throws Exception {
        exporter = GpuExporter.start(ON_A_FREE_PORT, SampleGpuSnapshots::twoGpus, List::of);

        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(url("/metrics"))
                        .POST(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void theMetricsUrlNamesTheBoundAddressAndPort() {
        exporter = GpuExporter.start(ON_A_FREE_PORT, SampleGpuSnapshots::twoGpus, List::of);

        assertThat(exporter.metricsUrl()).hasToString("http://127.0.0.1:" + exporter.port() + "/metrics");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(url(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + exporter.port() + path);
    }

    /** Sample lines as series (name and labels) to value. */
    private static Map<String, String> samples(String body) {
        return body.lines()
                .filter(line -> !line.startsWith("#") && !line.isBlank())
                .collect(Collectors.toMap(
                        line -> line.substring(0, line.lastIndexOf(' ')),
                        line -> line.substring(line.lastIndexOf(' ') + 1)));
    }

    private static final class CountingSource implements GpuSource {
        private final AtomicInteger reads = new AtomicInteger();

        @Override
        public GpuSnapshot snapshot() {
            reads.incrementAndGet();
            return SampleGpuSnapshots.twoGpus();
        }
    }
}
