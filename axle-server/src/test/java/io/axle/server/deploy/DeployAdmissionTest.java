package io.axle.server.deploy;

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
import io.axle.server.AxleServer;
import io.axle.server.db.BackendStore;
import io.axle.server.db.Dialect;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GPU admission of releases against a configured pool: a release that fits, one that fits only without surge (and
 * so rolls with maxSurge 0), and one that does not fit (BLOCKED with the arithmetic, nothing published).
 */
class DeployAdmissionTest {
    private static final long GIB = 1024L * 1024 * 1024;
    private static final String DEPLOYMENT_YAML = "deploy/production/fraud-api/deployment.yaml";

    @TempDir
    Path data;

    private final RecordingPublisher publisher = new RecordingPublisher();
    private final BodyReceiver receiver = new BodyReceiver();
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
        if (server != null) {
            server.close();
        }
        TestDatabases.drop(store);
        receiver.close();
    }

    @Test
    void aReleaseThatFitsOnlyWithoutSurgeRollsWithMaxSurgeZeroAndOneThatDoesNotFitIsBlocked() {
        pool("t4", 1, 2, "16GiB");
        ok(api.post(DEPLOYMENTS, gpuDeployment("fraud-api", "fraud", 2, "t4")));
        ok(api.post(
                "/api/2.0/axle/webhooks",
                Map.of("name", "blocked", "url", receiver.url(), "event_types", List.of("DEPLOYMENT_BLOCKED"))));

        // two replicas of 10 GiB on two 16 GiB GPUs: the first release starts them side by side
        setAlias(api, "fraud", "champion", version("fraud", 10 * GIB));
        await("the first release", () -> publisher.published().size() == 1);
        assertThat(strategy(0)).isEqualTo(List.of("maxSurge: 1", "maxUnavailable: 0"));
        assertThat(status("fraud-api")).isEqualTo("READY");

        // a new 10 GiB replica does not fit beside two old ones (6 GiB free each): only with maxSurge 0
        setAlias(api, "fraud", "champion", version("fraud", 10 * GIB));
        await("the second release", () -> publisher.published().size() == 2);
        assertThat(strategy(1)).isEqualTo(List.of("maxSurge: 0", "maxUnavailable: 1"));
        await(
                "version 2 ready",
                () -> deploymentOf(api, "fraud-api").path("current_version").asLong() == 2);
        assertThat(deploymentOf(api, "fraud-api").path("status_message").asText())
                .contains("FITS_WITHOUT_SURGE")
                .contains("fits only with maxSurge 0");

        // 20 GiB per replica fits no 16 GiB GPU at all: blocked, with the arithmetic, and nothing published
        setAlias(api, "fraud", "champion", version("fraud", 20 * GIB));
        await("blocked", () -> status("fraud-api").equals("BLOCKED"));
        JsonNode blocked = deploymentOf(api, "fraud-api");
        assertThat(blocked.path("status_message").asText())
                .contains("GPU pool 't4'")
                .contains("'fraud-api' needs 2 replicas × 20.0 GiB")
                .contains("does not fit because")
                .contains("needs 20.0 GiB > largest free");
        assertThat(blocked.path("current_version").asLong()).isEqualTo(2);
        assertThat(publisher.published()).hasSize(2);
        JsonNode event = lastEvent("DEPLOYMENT_BLOCKED");
        assertThat(event.path("version").asText()).isEqualTo("3");
        assertThat(event.path("payload").path("message").asText()).contains("does not fit because");
        await("the webhook", () -> receiver.bodies().size() == 1);
        assertThat(receiver.bodies().getFirst())
                .contains("\"type\":\"DEPLOYMENT_BLOCKED\"")
                .contains("does not fit because");
    }

    @Test
    void aVersionWithoutAFootprintIsRefusedUntilTheDeploymentDeclaresOne() {
        pool("t4", 1, 2, "16GiB");
        ok(api.post(DEPLOYMENTS, gpuDeployment("fraud-api", "fraud", 1, "t4")));
        setAlias(api, "fraud", "champion", registerVersion(api, "fraud", Map.of()));
        await("blocked", () -> status("fraud-api").equals("BLOCKED"));
        assertThat(deploymentOf(api, "fraud-api").path("status_message").asText())
                .contains("has no axle.gpu_memory_bytes tag")
                .contains("declares no gpu_memory");
        assertThat(publisher.published()).isEmpty();

        // declaring the footprint is an update, which releases what the deployment follows
        ok(api.patch(DEPLOYMENTS + "/fraud-api", Map.of("gpu_memory", "8GiB")));
        await("released", () -> status("fraud-api").equals("READY"));
        assertThat(publisher.published()).hasSize(1);
    }

    @Test
    void whatOtherDeploymentsHoldInThePoolCounts() {
        pool("a10", 1, 1, "16GiB");
        ok(api.post(DEPLOYMENTS, gpuDeployment("churn-api", "churn", 1, "a10")));
        setAlias(api, "churn", "champion", version("churn", 12 * GIB));
        await("churn released", () -> status("churn-api").equals("READY"));

        ok(api.post(DEPLOYMENTS, gpuDeployment("fraud-api", "fraud", 1, "a10")));
        setAlias(api, "fraud", "champion", version("fraud", 6 * GIB));
        await("fraud blocked", () -> status("fraud-api").equals("BLOCKED"));
        assertThat(deploymentOf(api, "fraud-api").path("status_message").asText())
                .contains("free 4.0 GiB = min(ledger 16.0 GiB − 12.0 GiB placed")
                .contains("needs 6.0 GiB > largest free 4.0 GiB");
        assertThat(publisher.published()).hasSize(1);
    }

    private ObjectNode gpuDeployment(String name, String model, int replicas, String pool) {
        ObjectNode spec = DeployFixtures.deployment(name, model, "champion", "https://git.example.com/ml/gitops.git");
        spec.put("replicas", replicas);
        spec.putObject("gpu").put("mode", "exclusive").put("count", 1);
        spec.put("gpu_pool", pool);
        return spec;
    }

    private void pool(String name, int nodes, int gpusPerNode, String memory) {
        ok(api.post(
                POOLS, Map.of("name", name, "nodes", nodes, "gpus_per_node", gpusPerNode, "memory_per_gpu", memory)));
    }

    private String version(String model, long gpuMemoryBytes) {
        return registerVersion(api, model, Map.of("axle.gpu_memory_bytes", Long.toString(gpuMemoryBytes)));
    }

    private String status(String name) {
        return deploymentOf(api, name).path("status").asText();
    }

    /** The rolling-update lines of the deployment.yaml of the {@code index}th publish. */
    private List<String> strategy(int index) {
        return publisher
                .published()
                .get(index)
                .files()
                .text(DEPLOYMENT_YAML)
                .lines()
                .map(String::strip)
                .filter(line -> line.startsWith("maxSurge") || line.startsWith("maxUnavailable"))
                .toList();
    }

    private JsonNode lastEvent(String type) {
        JsonNode last = null;
        for (JsonNode event :
                ok(api.get("/api/2.0/axle/events?max_results=1000")).path("events")) {
            if (event.path("type").asText().equals(type)) {
                last = event;
            }
        }
        assertThat(last).as("an event " + type).isNotNull();
        return last;
    }
}
