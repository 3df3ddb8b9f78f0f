package io.axle.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.server.db.Dialect;
import io.axle.server.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
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
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/** A real server with authentication on, called over HTTP and through MLflow's own Java client. */
@ParameterizedClass(name = "{0}")
@EnumSource(Dialect.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class AuthApiTest {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "admin";
    private static final String ADMIN_PASSWORD = "admin-password";

    @TempDir
    static Path temporaryDirectory;

    @Parameter
    Dialect dialect;

    private TestServer server;

    private record Response(int status, JsonNode json, Optional<String> challenge) {}

    @BeforeParameterizedClassInvocation
    void startServer() {
        server = TestServer.start(
                dialect, temporaryDirectory.resolve(dialect.name()), AuthConfig.enabled(ADMIN, ADMIN_PASSWORD));
    }

    @AfterParameterizedClassInvocation
    void stopServer() {
        server.close();
    }

    @Test
    void apiRoutesNeedCredentialsButHealthDoesNot() {
        Response anonymous = call("GET", "/api/2.0/mlflow/experiments/search?max_results=1", null, Optional.empty());
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().path("error_code").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(anonymous.challenge()).contains("Basic realm=\"axle\"");

        Response wrong = call("GET", "/api/2.0/mlflow/experiments/search?max_results=1", null, basic(ADMIN, "nope"));
        assertThat(wrong.status()).isEqualTo(401);
        Response garbage = call("GET", "/api/2.0/mlflow/experiments/search", null, Optional.of("Basic !!!"));
        assertThat(garbage.status()).isEqualTo(401);
        Response badToken = call("GET", "/api/2.0/mlflow/experiments/search", null, Optional.of("Bearer axle_nope"));
        assertThat(badToken.status()).isEqualTo(401);

        assertThat(call("GET", "/health", null, Optional.empty()).status()).isEqualTo(200);
        assertThat(call("GET", "/api/2.0/mlflow/experiments/search?max_results=1", null, admin())
                        .status())
                .isEqualTo(200);
    }

    @Test
    void basicAndBearerBothSignIn() {
        String user = unique("basic");
        assertThat(post("/api/2.0/mlflow/users/create", Map.of("username", user, "password", "user-password"), admin())
                        .status())
                .isEqualTo(200);
        Response token = post(
                "/api/2.0/axle/tokens", Map.of("name", "laptop", "expires_in_days", 30), basic(user, "user-password"));
        assertThat(token.status()).as(token.json().toString()).isEqualTo(200);
        String secret = token.json().path("secret").asText();
        assertThat(secret).startsWith("axle_");
        assertThat(token.json().path("token").path("username").asText()).isEqualTo(user);
        assertThat(token.json().path("token").has("expires_time")).isTrue();

        Response viaToken = call("GET", "/api/2.0/mlflow/users/get?username=" + user, null, bearer(secret));
        assertThat(viaToken.status()).isEqualTo(200);
        assertThat(viaToken.json().path("user").path("username").asText()).isEqualTo(user);
        assertThat(viaToken.json().path("user").path("is_admin").asBoolean()).isFalse();

        Response listed = call("GET", "/api/2.0/axle/tokens", null, bearer(secret));
        assertThat(listed.json().path("tokens")).hasSize(1);
        assertThat(listed.json().toString()).doesNotContain(secret);
        String id = listed.json().path("tokens").get(0).path("id").asText();
        assertThat(post("/api/2.0/axle/tokens/revoke", Map.of("id", id), bearer(secret))
                        .status())
                .isEqualTo(200);
        assertThat(call("GET", "/api/2.0/axle/tokens", null, bearer(secret)).status())
                .isEqualTo(401);
    }

    @Test
    void onlyAdminsManageUsersAndUsersChangeTheirOwnPassword() {
        String user = unique("plain");
        post("/api/2.0/mlflow/users/create", Map.of("username", user, "password", "user-password"), admin());
        Optional<String> asUser = basic(user, "user-password");
        Response denied = post(
                "/api/2.0/mlflow/users/create", Map.of("username", unique("x"), "password", "user-password"), asUser);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.json().path("error_code").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(call("GET", "/api/2.0/axle/users/list", null, asUser).status())
                .isEqualTo(403);
        assertThat(call("GET", "/api/2.0/mlflow/users/get?username=" + ADMIN, null, asUser)
                        .status())
                .isEqualTo(403);

        Response changed = call(
                "PATCH",
                "/api/2.0/mlflow/users/update-password",
                Map.of("username", user, "password", "new-password"),
                asUser);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(call("GET", "/api/2.0/axle/tokens", null, asUser).status()).isEqualTo(401);
        Optional<String> renewed = basic(user, "new-password");
        assertThat(call("GET", "/api/2.0/axle/tokens", null, renewed).status()).isEqualTo(200);

        assertThat(call(
                                "PATCH",
                                "/api/2.0/mlflow/users/update-admin",
                                Map.of("username", user, "is_admin", true),
                                admin())
                        .status())
                .isEqualTo(200);
        assertThat(call("GET", "/api/2.0/axle/users/list", null, renewed)
                        .json()
                        .path("users")
                        .toString())
                .contains(user);
        Response bad = post("/api/2.0/mlflow/users/create", Map.of("username", "a b", "password", "x"), admin());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(call("DELETE", "/api/2.0/mlflow/users/delete", Map.of("username", user), admin())
                        .status())
                .isEqualTo(200);
        assertThat(call("GET", "/api/2.0/axle/tokens", null, renewed).status()).isEqualTo(401);
    }

    @Test
    void experimentAndModelPermissionsUseMlflowsShapesAndNeedManage() {
        String owner = unique("owner");
        String other = unique("other");
        post("/api/2.0/mlflow/users/create", Map.of("username", owner, "password", "user-password"), admin());
        post("/api/2.0/mlflow/users/create", Map.of("username", other, "password", "user-password"), admin());
        String experimentId = post("/api/2.0/mlflow/experiments/create", Map.of("name", unique("exp")), admin())
                .json()
                .path("experiment_id")
                .asText();
        Response created = post(
                "/ajax-api/2.0/mlflow/experiments/permissions/create",
                Map.of("experiment_id", experimentId, "username", owner, "permission", "MANAGE"),
                admin());
        assertThat(created.status()).as(created.json().toString()).isEqualTo(200);
        JsonNode permission = created.json().path("experiment_permission");
        assertThat(permission.path("experiment_id").asText()).isEqualTo(experimentId);
        assertThat(permission.path("permission").asText()).isEqualTo("MANAGE");
        assertThat(permission.path("user_id").isNumber()).isTrue();

        Optional<String> asOwner = basic(owner, "user-password");
        Optional<String> asOther = basic(other, "user-password");
        Map<String, Object> grant = Map.of("experiment_id", experimentId, "username", other, "permission", "EDIT");
        assertThat(post("/api/2.0/mlflow/experiments/permissions/create", grant, asOther)
                        .status())
                .isEqualTo(403);
        assertThat(post("/api/2.0/mlflow/experiments/permissions/create", grant, asOwner)
                        .status())
                .isEqualTo(200);
        Response got = call(
                "GET",
                "/api/2.0/mlflow/experiments/permissions/get?experiment_id=" + experimentId + "&username=" + other,
                null,
                asOwner);
        assertThat(got.json().path("experiment_permission").path("permission").asText())
                .isEqualTo("EDIT");
        assertThat(call(
                                "PATCH",
                                "/api/2.0/mlflow/experiments/permissions/update",
                                Map.of("experiment_id", experimentId, "username", other, "permission", "BOSS"),
                                asOwner)
                        .status())
                .isEqualTo(400);
        assertThat(call(
                                "DELETE",
                                "/api/2.0/mlflow/experiments/permissions/delete",
                                Map.of("experiment_id", experimentId, "username", other),
                                asOwner)
                        .status())
                .isEqualTo(200);

        String model = unique("model");
        post("/api/2.0/mlflow/registered-models/create", Map.of("name", model), admin());
        Response modelPermission = post(
                "/api/2.0/mlflow/registered-models/permissions/create",
                Map.of("name", model, "username", owner, "permission", "READ"),
                admin());
        assertThat(modelPermission
                        .json()
                        .path("registered_model_permission")
                        .path("name")
                        .asText())
                .isEqualTo(model);
        assertThat(call("GET", "/api/2.0/mlflow/users/get?username=" + owner, null, asOwner)
                        .json()
                        .path("user")
                        .path("registered_model_permissions")
                        .get(0)
                        .path("permission")
                        .asText())
                .isEqualTo("READ");
        assertThat(call(
                                "PATCH",
                                "/api/2.0/mlflow/registered-models/permissions/update",
                                Map.of("name", model, "username", owner, "permission", "MANAGE"),
                                asOwner)
                        .status())
                .as("READ may not manage")
                .isEqualTo(403);
        assertThat(post(
                                "/api/2.0/mlflow/registered-models/permissions/create",
                                Map.of("name", "no-such-model", "username", owner, "permission", "READ"),
                                admin())
                        .status())
                .isEqualTo(404);
    }

    @Test
    void mlflowsJavaClientLogsWithBasicAuthAndWithAToken() {
        String user = unique("mlflow");
        post("/api/2.0/mlflow/users/create", Map.of("username", user, "password", "user-password"), admin());
        MlflowClient basicClient = new MlflowClient(new BasicMlflowHostCreds(server.url(), user, "user-password"));
        String experimentId = basicClient.createExperiment(unique("basic-exp"));
        RunInfo run = basicClient.createRun(experimentId);
        basicClient.logMetric(run.getRunId(), "loss", 0.5);
        assertThat(basicClient.getRun(run.getRunId()).getData().getMetricsList())
                .extracting(metric -> metric.getKey())
                .containsExactly("loss");

        String secret = post("/api/2.0/axle/tokens", Map.of("name", "java"), basic(user, "user-password"))
                .json()
                .path("secret")
                .asText();
        MlflowClient tokenClient = new MlflowClient(new BasicMlflowHostCreds(server.url(), secret));
        String tokenExperiment = tokenClient.createExperiment(unique("token-exp"));
        assertThat(tokenClient.createRun(tokenExperiment).getExperimentId()).isEqualTo(tokenExperiment);

        MlflowClient anonymous = new MlflowClient(server.url());
        assertThatThrownBy(() -> anonymous.createExperiment(unique("nope")))
                .isInstanceOfSatisfying(
                        MlflowHttpException.class,
                        failure -> assertThat(failure.getStatusCode()).isEqualTo(401));
    }

    @Test
    void registryEventsRecordTheSignedInUserAsActor() {
        String user = unique("actor");
        post("/api/2.0/mlflow/users/create", Map.of("username", user, "password", "user-password"), admin());
        String model = unique("acted");
        assertThat(post("/api/2.0/mlflow/registered-models/create", Map.of("name", model), basic(user, "user-password"))
                        .status())
                .isEqualTo(200);
        JsonNode events = call("GET", "/api/2.0/axle/events?after=0&max_results=1000", null, admin())
                .json()
                .path("events");
        JsonNode created = null;
        for (JsonNode event : events) {
            if (event.path("model_name").asText().equals(model)) {
                created = event;
            }
        }
        assertThat(created).isNotNull();
        assertThat(created.path("actor").asText()).isEqualTo(user);
    }

    @Test
    void aServerWithAuthOnAndNoUserOrFirstAdminRefusesToStart() {
        AuthConfig noAdmin = new AuthConfig(true, Optional.empty(), Optional.empty(), Permission.READ);
        assertThatThrownBy(() -> TestServer.start(dialect, temporaryDirectory.resolve(dialect + "-none"), noAdmin))
                .hasMessageContaining("no user yet")
                .hasMessageContaining("AXLE_ADMIN_PASSWORD");
    }

    private Optional<String> admin() {
        return basic(ADMIN, ADMIN_PASSWORD);
    }

    private static Optional<String> basic(String user, String password) {
        return Optional.of("Basic "
                + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    private static Optional<String> bearer(String token) {
        return Optional.of("Bearer " + token);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private Response post(String path, Object body, Optional<String> authorization) {
        return call("POST", path, body, authorization);
    }

    private Response call(String method, String path, Object body, Optional<String> authorization) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            authorization.ifPresent(value -> request.header("Authorization", value));
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            boolean isJson = response.headers()
                    .firstValue("Content-Type")
                    .filter(type -> type.startsWith("application/json"))
                    .isPresent();
            JsonNode json = isJson ? JSON.readTree(response.body()) : JSON.createObjectNode();
            return new Response(response.statusCode(), json, response.headers().firstValue("WWW-Authenticate"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
