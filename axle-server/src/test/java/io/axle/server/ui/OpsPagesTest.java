package io.axle.server.ui;

import static io.axle.server.deploy.DeployFixtures.DEPLOYMENTS;
import static io.axle.server.deploy.DeployFixtures.POOLS;
import static io.axle.server.deploy.DeployFixtures.await;
import static io.axle.server.deploy.DeployFixtures.deploymentOf;
import static io.axle.server.deploy.DeployFixtures.ok;
import static io.axle.server.deploy.DeployFixtures.registerVersion;
import static io.axle.server.deploy.DeployFixtures.setAlias;
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
import io.axle.server.deploy.DeployFixtures;
import io.axle.server.deploy.RecordingPublisher;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.TestDatabases;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployments, webhooks and GPUs pages against a real server: deployments released by the deployer into a
 * recording publisher, a webhook endpoint on a free port, and GPU exporters serving recorded snapshots.
 */
class OpsPagesTest {
    private static final long GIB = 1024L * 1024 * 1024;
    private static final String WEBHOOKS = "/api/2.0/axle/webhooks";
    private static final String GPU_A = "GPU-5f2a9c1e-7d1b-4c3a-9e0f-1a2b3c4d5e6f";
    private static final String GPU_B = "GPU-0b7e4d2c-3a19-4f8e-b6d5-9c8a7b6e5d4c";
    private static final String HOSTILE = "<script>alert('hook')</script>";

    @TempDir
    static Path data;

    static BackendStore store;
    static AxleServer server;
    static ApiClient api;
    static UiClient browser;
    static HttpServer receiver;
    static final AtomicInteger received = new AtomicInteger();
    static final List<GpuExporter> exporters = new ArrayList<>();
    static URI node1;
    static URI down;

    @BeforeAll
    static void start() throws IOException {
        store = TestDatabases.create(Dialect.H2);
        server = DeployFixtures.start(store, data, new RecordingPublisher());
        api = new ApiClient(server.url());
        browser = new UiClient(server.url());
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();

        // fraud-api follows fraud@champion: versions 1 then 2 released
        ok(api.post(DEPLOYMENTS, gpuLess("fraud-api", "fraud")));
        setAlias(api, "fraud", "champion", registerVersion(api, "fraud", Map.of()));
        await("fraud-api at version 1", () -> currentVersion("fraud-api") == 1);
        setAlias(api, "fraud", "champion", registerVersion(api, "fraud", Map.of()));
        await("fraud-api at version 2", () -> currentVersion("fraud-api") == 2);

        // GPU pools: one learned from an exporter that is up and one that is down; one configured and too small
        node1 = exporter(
                "node-1",
                List.of(gpu(0, GPU_A, 80 * GIB, 30 * GIB), gpu(1, GPU_B, 80 * GIB, 0)),
                List.of(new ReservedMemory(GPU_B, 8 * GIB, "churn-api")));
        down = downExporter();
        ok(api.post(POOLS, Map.of("name", "a100", "exporters", List.of(node1.toString(), down.toString()))));
        ok(api.post(POOLS, Map.of("name", "t4", "nodes", 1, "gpus_per_node", 1, "memory_per_gpu", "1GiB")));
        ObjectNode blocked = gpuLess("churn-api", "churn");
        blocked.put("replicas", 1);
        blocked.putObject("gpu").put("mode", "exclusive").put("count", 1);
        blocked.put("gpu_pool", "t4");
        ok(api.post(DEPLOYMENTS, blocked));
        setAlias(
                api,
                "churn",
                "champion",
                registerVersion(api, "churn", Map.of("axle.gpu_memory_bytes", Long.toString(8 * GIB))));
        await(
                "churn-api blocked",
                () -> deploymentOf(api, "churn-api").path("status").asText().equals("BLOCKED"));
    }

    @AfterAll
    static void stop() {
        exporters.forEach(GpuExporter::close);
        if (receiver != null) {
            receiver.stop(0);
        }
        if (server != null) {
            server.close();
        }
        TestDatabases.drop(store);
    }

    @Test
    void listsDeploymentsWithWhatTheyFollowTheirStatusAndVersion() {
        UiClient.Page page = browser.get("/deployments");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body())
                .contains("href=\"/deployments/fraud-api\"", "href=\"/models/fraud\"", "alias @champion")
                .contains("class=\"badge ok\">READY", "class=\"badge bad\">BLOCKED")
                .contains("href=\"/models/fraud/versions/");
        assertThat(page.header("Server-Timing")).startsWith("app;dur=");
    }

    @Test
    void aDeploymentsPageShowsItsSpecHistoryAndRollbackForms() {
        UiClient.Page page = browser.get("/deployments/fraud-api");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body())
                .contains("<h2>History</h2>", "class=\"history\"", "registry.example.com/ml/fraud")
                .contains("action=\"/deployments/fraud-api/rollback\"")
                .doesNotContain("Retry the release");
        assertThat(page.body().split("class=\"mono\" title=\"")).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void aBlockedDeploymentShowsTheArithmeticAndCanBeRetried() {
        UiClient.Page page = browser.get("/deployments/churn-api");

        assertThat(page.body()).contains("<pre class=\"deployment-message\">", "Retry the release");
        UiClient.Page retried = browser.post("/deployments/churn-api/retry", UiClient.withToken(page, Map.of()));
        assertThat(retried.status()).isEqualTo(303);
        assertThat(browser.get("/deployments/churn-api").body()).contains("Retried the release of churn-api");
    }

    @Test
    void aRollbackIsConfirmedFirstThenMovesTheAlias() {
        ok(api.post(DEPLOYMENTS, gpuLess("rollback-api", "ranker")));
        setAlias(api, "ranker", "champion", registerVersion(api, "ranker", Map.of()));
        await("rollback-api at 1", () -> currentVersion("rollback-api") == 1);
        setAlias(api, "ranker", "champion", registerVersion(api, "ranker", Map.of()));
        await("rollback-api at 2", () -> currentVersion("rollback-api") == 2);
        UiClient.Page page = browser.get("/deployments/rollback-api");
        assertThat(page.body()).contains("Roll back to version 1");

        UiClient.Page confirm =
                browser.post("/deployments/rollback-api/rollback", UiClient.withToken(page, Map.of("to", "")));
        assertThat(confirm.status()).isEqualTo(200);
        assertThat(confirm.body())
                .contains("class=\"confirm\"", "from version <strong>2</strong>", "to version <strong>1</strong>")
                .contains("name=\"confirm\" value=\"yes\"");
        assertThat(championOf("ranker")).isEqualTo("2");

        UiClient.Page done = browser.post(
                "/deployments/rollback-api/rollback", UiClient.withToken(confirm, Map.of("to", "1", "confirm", "yes")));
        assertThat(done.status()).isEqualTo(303);
        assertThat(done.header("Location")).isEqualTo("/deployments/rollback-api");
        assertThat(championOf("ranker")).isEqualTo("1");
        await("rollback-api back at 1", () -> currentVersion("rollback-api") == 1);
        assertThat(browser.get("/deployments/rollback-api").body()).contains("Rolled back");

        assertThat(browser.post("/deployments/rollback-api/rollback", UiClient.withToken(page, Map.of("to", "x")))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void anActionWithoutTheCsrfTokenIsRefusedAndChangesNothing() {
        UiClient.Page refused = browser.post("/deployments/fraud-api/rollback", Map.of("to", "1", "confirm", "yes"));

        assertThat(refused.status()).isEqualTo(403);
        assertThat(championOf("fraud")).isEqualTo("2");
    }

    @Test
    void webhooksShowTheirDeliveryLogNeverTheSecretAndRedeliver() {
        JsonNode created = ok(api.post(
                WEBHOOKS,
                Map.of(
                        "name",
                        HOSTILE,
                        "description",
                        HOSTILE,
                        "url",
                        "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                        "event_types",
                        List.of("MODEL_CREATED"))));
        String id = created.path("webhook").path("id").asText();
        String secret = created.path("secret").asText();
        assertThat(secret).startsWith("whsec_");
        api.post("registered-models/create", Map.of("name", "webhooked"));
        await(
                "delivered",
                () -> ok(api.get(WEBHOOKS + "/" + id + "/deliveries"))
                        .path("deliveries")
                        .findValuesAsText("status")
                        .contains("DELIVERED"));

        UiClient.Page list = browser.get("/webhooks");
        assertThat(list.body())
                .contains("href=\"/webhooks/" + id + "\"", "MODEL_CREATED", "ACTIVE", "AXLE")
                .contains("&lt;script&gt;")
                .doesNotContain(secret, "<script>alert");

        UiClient.Page page = browser.get("/webhooks/" + id);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body())
                .contains("Delivery log", "class=\"badge ok\">DELIVERED", "MODEL_CREATED", ">200")
                .doesNotContain(secret, "<script>alert");
        long deliveryId = ok(api.get(WEBHOOKS + "/" + id + "/deliveries"))
                .path("deliveries")
                .get(0)
                .path("id")
                .asLong();
        int before = received.get();

        UiClient.Page redelivered = browser.post(
                "/webhooks/" + id + "/deliveries/" + deliveryId + "/redeliver", UiClient.withToken(page, Map.of()));
        assertThat(redelivered.status()).isEqualTo(303);
        assertThat(redelivered.header("Location")).isEqualTo("/webhooks/" + id);
        await("sent again", () -> received.get() > before);
        assertThat(browser.get("/webhooks/" + id).body()).contains("queued to be sent again");
        assertThat(browser.post("/webhooks/" + id + "/deliveries/abc/redeliver", UiClient.withToken(page, Map.of()))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void gpusShowUsedReservedAndFreeMemoryPerExporterAndItsErrors() {
        UiClient.Page page = browser.get("/gpus");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body())
                .contains("Pool a100", "node-1", GPU_A, GPU_B, "NVIDIA A100-SXM4-80GB")
                .contains("<svg class=\"bar\"", "<rect class=\"used\" x=\"0\"", "width=\"37.50%\"")
                .contains("<rect class=\"reserved\" x=\"0.00%\" y=\"0\" height=\"100%\" width=\"10.00%\"")
                .contains("30.0 GiB", "8.0 GiB", "80.0 GiB")
                .contains("87 %", "<span class=\"chip\">churn-api</span> 8.0 GiB")
                .contains("class=\"error\">This exporter cannot be read", down.toString())
                .contains("Pool t4", "1 node(s) × 1 GPU(s) × 1.0 GiB")
                .contains("href=\"/deployments/churn-api\"");
    }

    @Test
    void unknownDeploymentsAndWebhooksAreNotFoundPages() {
        UiClient.Page deployment = browser.get("/deployments/nope");
        assertThat(deployment.status()).isEqualTo(404);
        assertThat(deployment.body()).contains("class=\"error\"", "nope");
        UiClient.Page webhook = browser.get("/webhooks/%3Cscript%3E");
        assertThat(webhook.status()).isEqualTo(404);
        assertThat(webhook.body()).contains("class=\"error\"").doesNotContain("<script>");
    }

    private static ObjectNode gpuLess(String name, String model) {
        return DeployFixtures.deployment(name, model, "champion", "https://git.example.com/ml/gitops.git");
    }

    private static long currentVersion(String deployment) {
        return deploymentOf(api, deployment).path("current_version").asLong(0);
    }

    private static String championOf(String model) {
        return ok(api.get("registered-models/alias?name=" + model + "&alias=champion"))
                .path("model_version")
                .path("version")
                .asText();
    }

    private static URI exporter(String hostname, List<Gpu> gpus, List<ReservedMemory> reservations) {
        GpuSnapshot snapshot =
                new GpuSnapshot(hostname, "snapshot", Instant.EPOCH, Optional.empty(), Optional.empty(), gpus);
        GpuExporter exporter = GpuExporter.start(
                new GpuExporterConfig("127.0.0.1", 0, Duration.ZERO), () -> snapshot, () -> reservations);
        exporters.add(exporter);
        return exporter.metricsUrl();
    }

    /** The URL of an exporter that was started and stopped: nothing listens there. */
    private static URI downExporter() {
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
        Gpu basic =
                Gpu.basic(index, uuid, "NVIDIA A100-SXM4-80GB", "00000000:3B:00." + index, total, used, total - used);
        return new Gpu(
                basic.index(),
                basic.uuid(),
                basic.name(),
                basic.pciBusId(),
                basic.memoryTotalBytes(),
                basic.memoryUsedBytes(),
                basic.memoryFreeBytes(),
                basic.memoryReservedBytes(),
                java.util.OptionalInt.of(used > 0 ? 87 : 0),
                basic.memoryUtilizationPercent(),
                basic.temperatureCelsius(),
                basic.powerMilliwatts(),
                basic.energyMillijoules(),
                basic.smClockMhz(),
                basic.memoryClockMhz(),
                basic.migEnabled(),
                basic.migDevices(),
                basic.processes());
    }
}
