package io.axle.server.deploy;

import static io.axle.server.deploy.DeployFixtures.DEPLOYMENTS;
import static io.axle.server.deploy.DeployFixtures.POOLS;
import static io.axle.server.deploy.DeployFixtures.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.server.AxleServer;
import io.axle.server.db.BackendStore;
import io.axle.server.db.Dialect;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.ApiClient.Response;
import io.axle.server.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The deployments and GPU pools API over HTTP, on H2 and on PostgreSQL. */
@ParameterizedClass
@EnumSource(Dialect.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeploymentApiTest {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final String REPOSITORY = "https://git.example.com/ml/gitops.git";

    @Parameter
    Dialect dialect;

    private BackendStore store;
    private AxleServer server;
    private ApiClient api;

    @BeforeParameterizedClassInvocation
    void start() throws IOException {
        store = TestDatabases.create(dialect);
        server = DeployFixtures.start(store, Files.createTempDirectory("axle-deploy-api"), new RecordingPublisher());
        api = new ApiClient(server.url());
    }

    @AfterParameterizedClassInvocation
    void stop() {
        if (server != null) {
            server.close();
        }
        if (store != null) {
            TestDatabases.drop(store);
        }
    }

    @Test
    void createsGetsListsUpdatesAndDeletesADeployment() {
        String name = unique("fraud");
        ObjectNode spec = DeployFixtures.deployment(name, "fraud", "champion", REPOSITORY);
        spec.putObject("ingress").put("host", "fraud.models.example.com");
        spec.putObject("gitops")
                .put("repository_url", REPOSITORY)
                .putObject("credentials")
                .put("username_variable", "AXLE_GIT_USERNAME")
                .put("password_variable", "AXLE_GIT_TOKEN");
        JsonNode created = ok(api.post(DEPLOYMENTS, spec)).path("deployment");
        assertThat(created.path("name").asText()).isEqualTo(name);
        assertThat(created.path("status").asText()).isEqualTo("PENDING");
        assertThat(created.path("status_message").asText()).isEqualTo("Waiting for models:/fraud@champion");
        assertThat(created.path("spec").path("ingress").path("path").asText()).isEqualTo("/");
        assertThat(created.path("spec").path("gitops").path("branch").asText()).isEqualTo("main");
        assertThat(created.path("spec")
                        .path("gitops")
                        .path("credentials")
                        .path("password_variable")
                        .asText())
                .isEqualTo("AXLE_GIT_TOKEN");
        assertThat(created.has("current_version")).isFalse();

        assertThat(ok(api.get(DEPLOYMENTS + "/" + name)).path("deployment")).isEqualTo(created);
        assertThat(ok(api.get(DEPLOYMENTS)).path("deployments").findValuesAsText("name"))
                .contains(name);

        ObjectNode patch = spec.objectNode().put("replicas", 3).putNull("ingress");
        patch.putObject("follows").put("stage", "Production");
        JsonNode updated = ok(api.patch(DEPLOYMENTS + "/" + name, patch)).path("deployment");
        assertThat(updated.path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(updated.path("spec").path("follows").path("stage").asText()).isEqualTo("Production");
        assertThat(updated.path("spec").has("ingress")).isFalse();
        assertThat(updated.path("spec").path("image_repository").asText()).isEqualTo("registry.example.com/ml/fraud");

        ok(api.delete(DEPLOYMENTS + "/" + name, Map.of()));
        Response gone = api.get(DEPLOYMENTS + "/" + name);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        assertThat(gone.json().path("message").asText()).isEqualTo("Deployment '" + name + "' does not exist");

        List<String> types = ok(api.get("/api/2.0/axle/events?max_results=10000"))
                .path("events")
                .findValuesAsText("type");
        assertThat(types).contains("DEPLOYMENT_CREATED", "DEPLOYMENT_UPDATED", "DEPLOYMENT_DELETED");
    }

    @Test
    void refusesInvalidDeploymentsWithMlflowErrors() {
        String name = unique("fraud");
        ObjectNode valid = DeployFixtures.deployment(name, "fraud", "champion", REPOSITORY);
        assertInvalid(valid.deepCopy().put("name", "Fraud_API"), "Deployment name 'Fraud_API'");
        assertInvalid(valid.deepCopy().put("replicas", 0), "Replicas of deployment");
        ObjectNode noFollows = valid.deepCopy();
        noFollows.remove("follows");
        assertInvalid(noFollows, "'follows'");
        ObjectNode both = valid.deepCopy();
        both.putObject("follows").put("alias", "champion").put("stage", "Production");
        assertInvalid(both, "exactly one of 'alias'");
        ObjectNode badStage = valid.deepCopy();
        badStage.putObject("follows").put("stage", "Archived");
        assertInvalid(badStage, "Staging or Production");
        assertInvalid(valid.deepCopy().put("image_repository", "fraud:7"), "not a repository name");
        ObjectNode password = valid.deepCopy();
        password.putObject("gitops").put("repository_url", "https://bot:hunter2@git.example.com/ml/gitops.git");
        assertInvalid(password, "must not carry a password");
        ObjectNode token = valid.deepCopy();
        ((ObjectNode) token.path("gitops")).putObject("credentials").put("password", "hunter2");
        assertInvalid(token, "credentials are never stored");
        ObjectNode gpu = valid.deepCopy();
        gpu.putObject("gpu").put("mode", "quantum");
        assertInvalid(gpu, "Unknown GPU mode 'quantum'");
        assertInvalid(valid.deepCopy().put("gpu_pool", "nowhere"), "GPU pool 'nowhere', which does not exist");
        assertInvalid(valid.deepCopy().put("gpu_memory", "lots"), "'lots' is not a memory size");
        assertThat(api.get(DEPLOYMENTS + "/" + name).status()).isEqualTo(404);

        ok(api.post(DEPLOYMENTS, valid));
        Response again = api.post(DEPLOYMENTS, valid);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.errorCode()).isEqualTo("RESOURCE_ALREADY_EXISTS");
        Response renamed = api.patch(DEPLOYMENTS + "/" + name, Map.of("name", "other"));
        assertThat(renamed.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(renamed.json().path("message").asText()).contains("cannot be renamed");
        Response badPatch = api.patch(DEPLOYMENTS + "/" + name, Map.of("replicas", -1));
        assertThat(badPatch.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(ok(api.get(DEPLOYMENTS + "/" + name))
                        .path("deployment")
                        .path("spec")
                        .path("replicas")
                        .asInt())
                .isEqualTo(2);
        assertThat(api.patch(DEPLOYMENTS + "/missing", Map.of("replicas", 1)).status())
                .isEqualTo(404);
        assertThat(api.delete(DEPLOYMENTS + "/missing", Map.of()).status()).isEqualTo(404);
        assertThat(api.get(DEPLOYMENTS + "/missing/history").status()).isEqualTo(404);
        Response rollback = api.post(DEPLOYMENTS + "/" + name + "/rollback", Map.of());
        assertThat(rollback.errorCode()).isEqualTo("INVALID_STATE");
        assertThat(rollback.json().path("message").asText()).contains("no earlier version to roll back to");
        Response render = api.get(DEPLOYMENTS + "/" + name + "/render");
        assertThat(render.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(render.json().path("message").asText()).contains("which is not set: name a version");
    }

    @Test
    void gpuPoolsAreCreatedResizedListedAndDeletedUnlessUsed() {
        String pool = unique("a100");
        JsonNode created = ok(api.post(
                        POOLS, Map.of("name", pool, "nodes", 2, "gpus_per_node", 8, "memory_per_gpu", "80GiB")))
                .path("pool");
        assertThat(created.path("memory_per_gpu_bytes").asLong()).isEqualTo(80L << 30);
        ok(api.post(POOLS, Map.of("name", pool, "nodes", 3, "gpus_per_node", 8, "memory_per_gpu", 85899345920L)));
        assertThat(ok(api.get(POOLS + "/" + pool)).path("pool").path("nodes").asInt())
                .isEqualTo(3);
        assertThat(ok(api.get(POOLS)).path("pools").findValuesAsText("name")).contains(pool);
        Response invalid = api.post(POOLS, Map.of("name", pool, "nodes", 0, "memory_per_gpu", "80GiB"));
        assertThat(invalid.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");

        String deployment = unique("fraud");
        ok(api.post(
                DEPLOYMENTS,
                DeployFixtures.deployment(deployment, "fraud", "champion", REPOSITORY)
                        .put("gpu_pool", pool)));
        Response used = api.delete(POOLS + "/" + pool, Map.of());
        assertThat(used.errorCode()).isEqualTo("INVALID_STATE");
        assertThat(used.json().path("message").asText()).contains("is used by deployments [" + deployment + "]");
        ok(api.delete(DEPLOYMENTS + "/" + deployment, Map.of()));
        ok(api.delete(POOLS + "/" + pool, Map.of()));
        assertThat(api.get(POOLS + "/" + pool).status()).isEqualTo(404);
    }

    private void assertInvalid(JsonNode spec, String message) {
        Response response = api.post(DEPLOYMENTS, spec);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(response.json().path("message").asText()).contains(message);
    }

    private static String unique(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet() + "-" + System.nanoTime() % 100_000;
    }
}
