package io.axle.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.server.db.Dialect;
import io.axle.server.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/** Permissions as users meet them: READ reads, EDIT logs, MANAGE deletes; lists hide what a user cannot read. */
@ParameterizedClass(name = "{0}")
@EnumSource(Dialect.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class AccessApiTest {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "admin";
    private static final String ADMIN_PASSWORD = "admin-password";
    private static final String PASSWORD = "user-password";

    @TempDir
    static Path temporaryDirectory;

    @Parameter
    Dialect dialect;

    private TestServer server;

    private record Reply(int status, JsonNode json) {}

    @BeforeParameterizedClassInvocation
    void startServer() {
        server = TestServer.start(
                dialect,
                temporaryDirectory.resolve(dialect.name()),
                AuthConfig.enabled(ADMIN, ADMIN_PASSWORD).withDefaultPermission(Permission.NO_PERMISSIONS));
    }

    @AfterParameterizedClassInvocation
    void stopServer() {
        server.close();
    }

    @Test
    void readReadsEditLogsManageDeletes() {
        String user = newUser("ladder");
        String experimentId = adminExperiment();
        String runId = ok(post("runs/create", Map.of("experiment_id", experimentId), admin()))
                .path("run")
                .path("info")
                .path("run_id")
                .asText();
        Map<String, Object> metric = Map.of("run_id", runId, "key", "loss", "value", 0.5, "timestamp", 1);

        assertThat(get("runs/get?run_id=" + runId, as(user)).status()).isEqualTo(403);
        ok(post(
                "experiments/permissions/create",
                Map.of("experiment_id", experimentId, "username", user, "permission", "READ"),
                admin()));
        assertThat(get("runs/get?run_id=" + runId, as(user)).status()).isEqualTo(200);
        Reply log = post("runs/log-metric", metric, as(user));
        assertThat(log.status()).isEqualTo(403);
        assertThat(log.json().path("error_code").asText()).isEqualTo("PERMISSION_DENIED");

        ok(patch(
                "experiments/permissions/update",
                Map.of("experiment_id", experimentId, "username", user, "permission", "EDIT"),
                admin()));
        assertThat(post("runs/log-metric", metric, as(user)).status()).isEqualTo(200);
        assertThat(post("experiments/delete", Map.of("experiment_id", experimentId), as(user))
                        .status())
                .isEqualTo(403);

        ok(patch(
                "experiments/permissions/update",
                Map.of("experiment_id", experimentId, "username", user, "permission", "MANAGE"),
                admin()));
        assertThat(post("experiments/delete", Map.of("experiment_id", experimentId), as(user))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void searchesShowOnlyWhatTheUserCanReadAndCreatorsManageWhatTheyCreate() {
        String user = newUser("searcher");
        String hidden = adminExperiment();
        String own = ok(post("experiments/create", Map.of("name", unique("own")), as(user)))
                .path("experiment_id")
                .asText();
        List<String> seen = new ArrayList<>();
        ok(post("experiments/search", Map.of("max_results", 1000), as(user)))
                .path("experiments")
                .forEach(experiment -> seen.add(experiment.path("experiment_id").asText()));
        assertThat(seen).contains(own).doesNotContain(hidden, "0");
        assertThat(post("experiments/delete", Map.of("experiment_id", own), as(user))
                        .status())
                .isEqualTo(200);

        String hiddenModel = unique("hidden-model");
        ok(post("registered-models/create", Map.of("name", hiddenModel), admin()));
        String ownModel = unique("own-model");
        ok(post("registered-models/create", Map.of("name", ownModel), as(user)));
        List<String> models = new ArrayList<>();
        ok(get("registered-models/search?max_results=1000", as(user)))
                .path("registered_models")
                .forEach(model -> models.add(model.path("name").asText()));
        assertThat(models).contains(ownModel).doesNotContain(hiddenModel);
        assertThat(post("runs/search", Map.of("experiment_ids", List.of(hidden)), as(user))
                        .status())
                .isEqualTo(403);
    }

    @Test
    void mlflowsJavaClientIsRefusedAForeignExperiment() {
        String user = newUser("client");
        String experimentId = adminExperiment();
        MlflowClient client = new MlflowClient(new BasicMlflowHostCreds(server.url(), user, PASSWORD));
        assertThatThrownBy(() -> client.getExperiment(experimentId))
                .isInstanceOfSatisfying(
                        MlflowHttpException.class,
                        failure -> assertThat(failure.getStatusCode()).isEqualTo(403));
        assertThatThrownBy(() -> client.createRun(experimentId))
                .isInstanceOfSatisfying(
                        MlflowHttpException.class,
                        failure -> assertThat(failure.getStatusCode()).isEqualTo(403));
        String own = client.createExperiment(unique("client-own"));
        assertThat(client.createRun(own).getExperimentId()).isEqualTo(own);
    }

    @Test
    void theAuditLogRecordsChangesRefusedOrNotForAdminsOnly() {
        String user = newUser("audited");
        String experimentId = adminExperiment();
        post("experiments/update", Map.of("experiment_id", experimentId, "new_name", unique("renamed")), as(user));
        ok(post("experiments/create", Map.of("name", unique("mine")), as(user)));
        get("experiments/search?max_results=1", as(user));

        Reply refused = call("GET", "/api/2.0/axle/audit?actor=" + user, null, as(user));
        assertThat(refused.status()).isEqualTo(403);
        JsonNode entries = ok(call("GET", "/api/2.0/axle/audit?since=0&max_results=50&actor=" + user, null, admin()))
                .path("entries");
        assertThat(entries).hasSize(2);
        JsonNode newest = entries.get(0);
        assertThat(newest.path("route").asText()).isEqualTo("/api/2.0/mlflow/experiments/create");
        assertThat(newest.path("status").asInt()).isEqualTo(200);
        JsonNode denied = entries.get(1);
        assertThat(denied.path("route").asText()).isEqualTo("/api/2.0/mlflow/experiments/update");
        assertThat(denied.path("status").asInt()).isEqualTo(403);
        assertThat(denied.path("target").asText()).isEqualTo("experiment_id=" + experimentId);
        assertThat(denied.path("actor").asText()).isEqualTo(user);
        assertThat(entries.toString()).doesNotContain(PASSWORD);

        Reply anonymous = post("experiments/create", Map.of("name", unique("anon")), Optional.empty());
        assertThat(anonymous.status()).isEqualTo(401);
        JsonNode recent = ok(call("GET", "/api/2.0/axle/audit?actor=anonymous&max_results=1", null, admin()))
                .path("entries");
        assertThat(recent.get(0).path("status").asInt()).isEqualTo(401);
        assertThat(call("GET", "/api/2.0/axle/audit?since=yesterday", null, admin())
                        .status())
                .isEqualTo(400);
    }

    @Test
    void theUiListsShowOnlyWhatTheSignedInUserMayRead() {
        String user = newUser("viewer");
        String hidden = unique("hidden");
        String shared = unique("shared");
        ok(post("registered-models/create", Map.of("name", hidden), admin()));
        ok(post("registered-models/create", Map.of("name", shared), admin()));
        ok(post(
                "registered-models/permissions/create",
                Map.of("name", shared, "username", user, "permission", "READ"),
                admin()));
        String hiddenExperiment = unique("hidden-experiment");
        ok(post("experiments/create", Map.of("name", hiddenExperiment), admin()));

        io.axle.server.ui.UiClient ui = new io.axle.server.ui.UiClient(server.url());
        io.axle.server.ui.UiClient.Page login = ui.get("/login");
        assertThat(ui.post(
                                "/login",
                                io.axle.server.ui.UiClient.withToken(
                                        login, Map.of("username", user, "password", PASSWORD, "next", "/models")))
                        .status())
                .isEqualTo(303);

        assertThat(ui.get("/models").body())
                .contains(shared)
                .doesNotContain(hidden)
                .doesNotContain("href=\"/webhooks\"");
        assertThat(ui.get("/experiments").body()).doesNotContain(hiddenExperiment);
        assertThat(ui.get("/models/" + hidden).status()).isEqualTo(403);
    }

    // ---- helpers

    private String newUser(String prefix) {
        String user = unique(prefix);
        ok(post("users/create", Map.of("username", user, "password", PASSWORD), admin()));
        return user;
    }

    private String adminExperiment() {
        return ok(post("experiments/create", Map.of("name", unique("admins")), admin()))
                .path("experiment_id")
                .asText();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Optional<String> admin() {
        return as(ADMIN, ADMIN_PASSWORD);
    }

    private static Optional<String> as(String user) {
        return as(user, PASSWORD);
    }

    private static Optional<String> as(String user, String password) {
        return Optional.of("Basic "
                + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode ok(Reply reply) {
        assertThat(reply.status()).as(reply.json().toString()).isEqualTo(200);
        return reply.json();
    }

    private Reply get(String path, Optional<String> authorization) {
        return call("GET", "/api/2.0/mlflow/" + path, null, authorization);
    }

    private Reply post(String path, Object body, Optional<String> authorization) {
        return call("POST", "/api/2.0/mlflow/" + path, body, authorization);
    }

    private Reply patch(String path, Object body, Optional<String> authorization) {
        return call("PATCH", "/api/2.0/mlflow/" + path, body, authorization);
    }

    private Reply call(String method, String path, Object body, Optional<String> authorization) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                    .header("Content-Type", "application/json");
            authorization.ifPresent(value -> request.header("Authorization", value));
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
            return new Reply(response.statusCode(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
