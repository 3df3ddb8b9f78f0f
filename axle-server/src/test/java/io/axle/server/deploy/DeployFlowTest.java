package io.axle.server.deploy;

import static io.axle.server.deploy.DeployFixtures.DEPLOYMENTS;
import static io.axle.server.deploy.DeployFixtures.POOLS;
import static io.axle.server.deploy.DeployFixtures.await;
import static io.axle.server.deploy.DeployFixtures.deploymentOf;
import static io.axle.server.deploy.DeployFixtures.ok;
import static io.axle.server.deploy.DeployFixtures.registerVersion;
import static io.axle.server.deploy.DeployFixtures.setAlias;
import static io.axle.server.deploy.GitCliPublisher.git;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.server.AxleServer;
import io.axle.server.db.BackendStore;
import io.axle.server.db.Dialect;
import io.axle.server.deploy.gitops.GitCredentialsResolver;
import io.axle.server.deploy.gitops.JGitPublisher;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promotion flow end to end: a real server, a real bare Git repository, and the registry's alias moving the
 * deployment from version to version.
 */
class DeployFlowTest {
    private static final String FILE = "deploy/production/fraud-api/deployment.yaml";

    @TempDir
    Path temp;

    private BackendStore store;
    private AxleServer server;
    private ApiClient api;
    private Path bare;

    @BeforeEach
    void start() throws Exception {
        bare = Files.createDirectories(temp.resolve("gitops.git"));
        git(bare, "init", "--quiet", "--bare");
        Path work = Files.createDirectories(temp.resolve("work"));
        store = TestDatabases.create(Dialect.H2);
        server = DeployFixtures.start(
                store,
                Files.createDirectories(temp.resolve("data")),
                new JGitPublisher(work, GitCredentialsResolver.fromEnvironment(Map.of())));
        api = new ApiClient(server.url());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        TestDatabases.drop(store);
    }

    @Test
    void settingTheAliasCommitsTheVersionAndRollbackCommitsTheOldOneAgain() {
        ok(api.post(POOLS, Map.of("name", "a100", "nodes", 2, "gpus_per_node", 4, "memory_per_gpu", "80GiB")));
        ObjectNode spec = DeployFixtures.deployment(
                "fraud-api", "fraud", "champion", bare.toUri().toString());
        spec.put("gpu_pool", "a100");
        ok(api.post(DEPLOYMENTS, spec));
        String first = registerVersion(api, "fraud", Map.of());
        String second = registerVersion(api, "fraud", Map.of());
        assertThat(deploymentOf(api, "fraud-api").path("status").asText()).isEqualTo("PENDING");

        setAlias(api, "fraud", "champion", first);
        await("the first commit", () -> commits() == 1);
        assertThat(committed(FILE)).contains("models:/fraud/1").contains("image: \"registry.example.com/ml/fraud:1\"");
        assertThat(lastMessage()).contains("Deploy fraud version 1 to production/fraud-api");
        JsonNode deployment = deploymentOf(api, "fraud-api");
        assertThat(deployment.path("status").asText()).isEqualTo("READY");
        assertThat(deployment.path("current_version").asLong()).isEqualTo(1);
        assertThat(deployment.path("last_commit").asText()).isEqualTo(head());

        setAlias(api, "fraud", "champion", second);
        await("the second commit", () -> commits() == 2);
        assertThat(committed(FILE)).contains("models:/fraud/2");
        await(
                "version 2 recorded",
                () -> deploymentOf(api, "fraud-api").path("current_version").asLong() == 2);

        // the same alias again is no promotion: no event, no commit
        setAlias(api, "fraud", "champion", second);
        sleep(500);
        assertThat(commits()).isEqualTo(2);

        JsonNode history = ok(api.get(DEPLOYMENTS + "/fraud-api/history")).path("revisions");
        assertThat(history.findValuesAsText("version")).containsExactly("2", "1");
        assertThat(history.get(0).path("commit_sha").asText()).isEqualTo(head());

        JsonNode rolledBack = ok(api.post(DEPLOYMENTS + "/fraud-api/rollback", Map.of()));
        assertThat(rolledBack.path("to_version").asLong()).isEqualTo(1);
        await("the rollback commit", () -> commits() == 3);
        assertThat(committed(FILE)).contains("models:/fraud/1").doesNotContain("models:/fraud/2");
        await(
                "version 1 recorded",
                () -> ok(api.get(DEPLOYMENTS + "/fraud-api/history"))
                                .path("revisions")
                                .size()
                        == 3);
        assertThat(ok(api.get("registered-models/alias?name=fraud&alias=champion"))
                        .path("model_version")
                        .path("version")
                        .asText())
                .isEqualTo("1");

        // rendering for review commits nothing
        JsonNode render = ok(api.get(DEPLOYMENTS + "/fraud-api/render?version=2"));
        assertThat(render.path("files").path(FILE).asText()).contains("models:/fraud/2");
        assertThat(render.path("directory").asText()).isEqualTo("deploy/production/fraud-api");
        assertThat(commits()).isEqualTo(3);

        List<String> types = ok(api.get("/api/2.0/axle/events?max_results=1000"))
                .path("events")
                .findValuesAsText("type");
        assertThat(types)
                .contains("DEPLOYMENT_CREATED")
                .filteredOn("DEPLOYMENT_DEPLOYED"::equals)
                .hasSize(3);
    }

    @Test
    void aDeploymentCreatedAfterThePromotionCommitsWhatItFollowsAndRetryPublishesAgain() {
        String version = registerVersion(api, "churn", Map.of());
        setAlias(api, "churn", "champion", version);
        ok(api.post(
                DEPLOYMENTS,
                DeployFixtures.deployment(
                        "churn-api", "churn", "champion", bare.toUri().toString())));
        await("the commit", () -> commits() == 1);
        assertThat(committed("deploy/production/churn-api/deployment.yaml")).contains("models:/churn/1");

        JsonNode retried =
                ok(api.post(DEPLOYMENTS + "/churn-api/retry", Map.of())).path("deployment");
        assertThat(retried.path("status").asText()).isEqualTo("READY");
        assertThat(commits()).isEqualTo(1);
    }

    @Test
    void aDeploymentFollowingAStageCommitsWhatTheStageHolds() {
        ObjectNode spec = DeployFixtures.deployment(
                "risk-api", "risk", "unused", bare.toUri().toString());
        spec.putObject("follows").put("stage", "Production");
        ok(api.post(DEPLOYMENTS, spec));
        String first = registerVersion(api, "risk", Map.of());
        String second = registerVersion(api, "risk", Map.of());
        transition("risk", first, "Staging");
        sleep(300);
        assertThat(commits()).isZero();
        transition("risk", first, "Production");
        await("the first commit", () -> commits() == 1);
        assertThat(committed("deploy/production/risk-api/deployment.yaml")).contains("models:/risk/1");
        transition("risk", second, "Production");
        await("the second commit", () -> commits() == 2);
        assertThat(committed("deploy/production/risk-api/deployment.yaml")).contains("models:/risk/2");
    }

    private void transition(String model, String version, String stage) {
        ok(api.post(
                "model-versions/transition-stage",
                Map.of("name", model, "version", version, "stage", stage, "archive_existing_versions", true)));
    }

    private int commits() {
        try {
            return Integer.parseInt(git(bare, "rev-list", "--count", "main").strip());
        } catch (IllegalStateException e) {
            return 0; // no branch yet
        }
    }

    private String committed(String path) {
        return git(bare, "show", "main:" + path);
    }

    private String head() {
        return git(bare, "rev-parse", "main").strip();
    }

    private String lastMessage() {
        return git(bare, "log", "-1", "--format=%B", "main");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
