package io.axle.server.ui;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.server.db.Dialect;
import io.axle.server.deploy.Deployment;
import io.axle.server.deploy.DeploymentStatus;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.Seeds;
import io.axle.server.testing.TestServer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPagesTest {
    private static final String MODEL = "fraud-detector";
    private static final String PAGE = "/models/" + MODEL;
    private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts/";

    @TempDir
    static Path data;

    static TestServer server;
    static UiClient browser;
    static ApiClient api;
    static String runId;

    @BeforeAll
    static void start() {
        server = TestServer.start(Dialect.H2, data);
        browser = new UiClient(server.url());
        api = server.client();
        ok(api.post(
                "registered-models/create",
                Map.of(
                        "name",
                        MODEL,
                        "description",
                        "<script>alert('model')</script>",
                        "tags",
                        List.of(Map.of("key", "team", "value", "risk")))));
        JsonNode run = ok(api.post("runs/create", Map.of("experiment_id", "0", "run_name", "train-fraud")))
                .path("run");
        runId = run.path("info").path("run_id").asText();
        String root = run.path("info").path("artifact_uri").asText().replaceFirst("^mlflow-artifacts:/", "");
        Map.of("MLmodel", "flavors: {}\n", "data/weights.bin", "0123456789")
                .forEach((file, content) -> ok(api.put(PROXY + root + "/model/" + file, content.getBytes(UTF_8))));
        ok(api.post(
                "runs/log-batch",
                Map.of(
                        "run_id",
                        runId,
                        "params",
                        List.of(Map.of("key", "learning_rate", "value", "0.1")),
                        "metrics",
                        List.of(Map.of("key", "auc", "value", 0.93, "timestamp", 1, "step", 0)),
                        "tags",
                        List.of(
                                Map.of("key", "mlflow.source.git.commit", "value", "abc123def"),
                                Map.of("key", "mlflow.source.name", "value", "train.py")))));
        Seeds.dvcTrainingInput(api, runId, "payments", "d1g35t", "0123456789abcdef0123456789abcdef");
        // versions 1 and 2 come from the run; version 3 from the same files without a run
        ok(api.post("model-versions/create", Map.of("name", MODEL, "source", "runs:/" + runId + "/model")));
        ok(api.post("model-versions/create", Map.of("name", MODEL, "source", "runs:/" + runId + "/model")));
        ok(api.post("model-versions/create", Map.of("name", MODEL, "source", "mlflow-artifacts:/" + root + "/model")));
        for (String alias : List.of("champion", "shadow", "temporary")) {
            ok(api.post("registered-models/alias", Map.of("name", MODEL, "alias", alias, "version", "1")));
        }
        ok(api.post("/api/2.0/axle/deployments", deployment("fraud-prod", "champion")));
        ok(api.post("registered-models/create", Map.of("name", "churn model")));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theModelPageShowsVersionsNewestFirstAliasesTagsAndDeployments() {
        UiClient.Page page = browser.get(PAGE);

        assertThat(page.status()).isEqualTo(200);
        String body = page.body();
        assertThat(body)
                .contains("<h1>fraud-detector</h1>", "team", "risk", "champion", "shadow")
                .contains("href=\"/models/fraud-detector/versions/3\"", "href=\"/runs/" + runId + "\"")
                .contains("href=\"/deployments/fraud-prod\"", "action=\"/models/fraud-detector/aliases\"")
                .contains("action=\"/models/fraud-detector/stage\"", "archive_existing");
        assertThat(body.indexOf(">Version 3<")).isLessThan(body.indexOf(">Version 1<"));
        assertThat(page.header("Server-Timing")).startsWith("app;dur=");
    }

    @Test
    void aModelDescriptionIsEscaped() {
        String body = browser.get(PAGE).body();
        assertThat(body).contains("&lt;script&gt;alert(").doesNotContain("<script>alert");
    }

    @Test
    void aModelWhoseNameHasASpaceHasItsPage() {
        UiClient.Page page = browser.get("/models/churn%20model");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>churn model</h1>", "No versions yet");
    }

    @Test
    void movingAnAliasIsConfirmedFirstAndNamesTheDeploymentsThatRollOut() {
        UiClient.Page page = browser.get(PAGE);
        UiClient.Page confirm =
                browser.post(PAGE + "/aliases", UiClient.withToken(page, Map.of("alias", "champion", "version", "2")));

        assertThat(confirm.status()).isEqualTo(200);
        assertThat(confirm.body())
                .contains("class=\"confirm\"", "moves from version 1 to version 2", "fraud-prod")
                .contains("name=\"confirm\" value=\"yes\"");
        assertThat(alias("champion")).contains("1");

        UiClient.Page applied = browser.post(
                PAGE + "/aliases",
                UiClient.withToken(confirm, Map.of("alias", "champion", "version", "2", "confirm", "yes")));
        assertThat(applied.status()).isEqualTo(303);
        assertThat(applied.header("Location")).isEqualTo(PAGE);
        assertThat(alias("champion")).contains("2");
        assertThat(browser.get(PAGE).body()).contains("Alias champion now points at version 2.");
    }

    @Test
    void anActionWithoutTheSecurityTokenIsRefusedAndChangesNothing() {
        UiClient.Page refused =
                browser.post(PAGE + "/aliases", Map.of("alias", "shadow", "version", "2", "confirm", "yes"));

        assertThat(refused.status()).isEqualTo(403);
        assertThat(alias("shadow")).contains("1");
    }

    @Test
    void badAliasNamesAndUnknownVersionsAreRefusedWithAPageThatSaysWhy() {
        UiClient.Page page = browser.get(PAGE);
        UiClient.Page badName = browser.post(
                PAGE + "/aliases",
                UiClient.withToken(page, Map.of("alias", "bad alias!", "version", "1", "confirm", "yes")));
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.body()).contains("class=\"error\"", "Invalid alias name");
        assertThat(alias("bad alias!")).isEmpty();

        UiClient.Page unknown = browser.post(
                PAGE + "/aliases",
                UiClient.withToken(page, Map.of("alias", "ghost", "version", "99", "confirm", "yes")));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(alias("ghost")).isEmpty();

        UiClient.Page notANumber =
                browser.post(PAGE + "/aliases", UiClient.withToken(page, Map.of("alias", "ghost", "version", "two")));
        assertThat(notANumber.status()).isEqualTo(400);
        assertThat(notANumber.body()).contains("is not a version number");
    }

    @Test
    void deletingAnAliasIsConfirmedFirst() {
        UiClient.Page page = browser.get(PAGE);
        UiClient.Page confirm =
                browser.post(PAGE + "/aliases/delete", UiClient.withToken(page, Map.of("alias", "temporary")));
        assertThat(confirm.body()).contains("class=\"confirm\"", "Alias temporary (now version 1) is deleted");
        assertThat(alias("temporary")).contains("1");

        UiClient.Page applied = browser.post(
                PAGE + "/aliases/delete", UiClient.withToken(confirm, Map.of("alias", "temporary", "confirm", "yes")));
        assertThat(applied.status()).isEqualTo(303);
        assertThat(alias("temporary")).isEmpty();
    }

    @Test
    void aStageTransitionIsConfirmedFirstThenArchivesTheVersionsInThatStage() {
        ok(api.post(
                "model-versions/transition-stage",
                Map.of("name", MODEL, "version", "1", "stage", "Production", "archive_existing_versions", false)));
        UiClient.Page page = browser.get(PAGE);
        Map<String, String> form = Map.of("version", "2", "stage", "Production", "archive_existing", "true");
        UiClient.Page confirm = browser.post(PAGE + "/stage", UiClient.withToken(page, form));

        assertThat(confirm.status()).isEqualTo(200);
        assertThat(confirm.body())
                .contains("class=\"confirm\"", "Version 2 moves from None to Production.")
                .contains("Version 1 moves from Production to Archived.");
        assertThat(stage("2")).isEqualTo("None");

        Map<String, String> confirmed = new LinkedHashMap<>(form);
        confirmed.put("confirm", "yes");
        UiClient.Page applied = browser.post(PAGE + "/stage", UiClient.withToken(confirm, confirmed));
        assertThat(applied.status()).isEqualTo(303);
        assertThat(stage("2")).isEqualTo("Production");
        assertThat(stage("1")).isEqualTo("Archived");

        UiClient.Page badStage = browser.post(
                PAGE + "/stage", UiClient.withToken(page, Map.of("version", "3", "stage", "Live", "confirm", "yes")));
        assertThat(badStage.status()).isEqualTo(400);
        assertThat(stage("3")).isEqualTo("None");
    }

    @Test
    void theVersionPageShowsItsLineage() {
        UiClient.Page page = browser.get(PAGE + "/versions/1");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body())
                .contains("class=\"lineage\"", "badge ok\">Reproducible", "train-fraud")
                .contains("href=\"/runs/" + runId + "\"", "href=\"/experiments/0\"", "Default")
                .contains("learning_rate = 0.1", "auc = 0.93", "abc123def", "train.py")
                .contains("payments", "d1g35t", "0123456789abcdef0123456789abcdef", "training")
                .contains("MLmodel", "data/weights.bin", "10 B");
    }

    @Test
    void aVersionWithoutARunIsNotReproducible() {
        UiClient.Page page = browser.get(PAGE + "/versions/3");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("badge bad\">Not reproducible", "no run recorded");
    }

    @Test
    void unknownModelsAndVersionsArePagesThatSaySo() {
        UiClient.Page model = browser.get("/models/no-such-model");
        assertThat(model.status()).isEqualTo(404);
        assertThat(model.body()).contains("class=\"error\"", "no-such-model");

        assertThat(browser.get(PAGE + "/versions/42").status()).isEqualTo(404);
        assertThat(browser.get(PAGE + "/versions/latest").status()).isEqualTo(400);
        assertThat(browser.get(PAGE + "?page_token=garbage").status()).isEqualTo(400);
    }

    @Test
    void aBlockedDeploymentKeepsItsAdmissionArithmeticAndABadBadge() {
        ObjectNode spec = new ObjectMapper().createObjectNode();
        spec.putObject("follows").put("stage", "Production");
        String arithmetic = "needs 2 x 40.0 GiB of GPU memory; pool gpus has 30.0 GiB free";
        ModelPages.DeploymentRow row = ModelPages.row(new Deployment(
                "fraud-gpu",
                MODEL,
                spec,
                DeploymentStatus.BLOCKED,
                arithmetic,
                Optional.of(3L),
                Optional.empty(),
                1,
                1));

        assertThat(row.blocked()).isTrue();
        assertThat(row.badge()).isEqualTo("bad");
        assertThat(row.followsKind()).isEqualTo("stage");
        assertThat(row.follows()).isEqualTo("Production");
        assertThat(row.statusMessage()).isEqualTo(arithmetic);
        assertThat(DeploymentPage.badge(DeploymentStatus.READY)).isEqualTo("ok");
        assertThat(DeploymentPage.badge(DeploymentStatus.FAILED)).isEqualTo("bad");
    }

    private static Optional<String> alias(String alias) {
        JsonNode aliases = ok(api.get("registered-models/get?name=" + MODEL))
                .path("registered_model")
                .path("aliases");
        for (JsonNode node : aliases) {
            if (node.path("alias").asText().equals(alias)) {
                return Optional.of(node.path("version").asText());
            }
        }
        return Optional.empty();
    }

    private static String stage(String version) {
        return ok(api.get("model-versions/get?name=" + MODEL + "&version=" + version))
                .path("model_version")
                .path("current_stage")
                .asText();
    }

    private static Map<String, Object> deployment(String name, String alias) {
        return Map.of(
                "name",
                name,
                "registered_model",
                MODEL,
                "follows",
                Map.of("alias", alias),
                "environment",
                Map.of("name", "production"),
                "image_repository",
                "registry.example.com/ml/fraud",
                "gitops",
                Map.of("repository_url", "https://git.example.com/ml/gitops.git", "branch", "main", "path", "deploy"));
    }

    private static JsonNode ok(ApiClient.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }
}
