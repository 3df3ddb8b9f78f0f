package io.axle.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.server.db.Dialect;
import io.axle.server.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads every route the running server registered and calls each one without credentials and as a user who may do
 * nothing with the admin's resources: a route added later without an access rule, or one that answers such a user
 * with 2xx, fails this test by name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class RouteEnumerationTest {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "admin";
    private static final String ADMIN_PASSWORD = "admin-password";
    private static final String OUTSIDER = "outsider";
    private static final String MODEL = "fraud";
    private static final String DEPLOYMENT = "fraud-prod";

    @TempDir
    static Path temporaryDirectory;

    private TestServer server;
    private String experimentId;
    private String runId;

    record Reply(int status, String body, Optional<String> location) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                return JSON.createObjectNode();
            }
        }
    }

    @BeforeAll
    void startServer() {
        server = TestServer.start(
                Dialect.H2,
                temporaryDirectory,
                AuthConfig.enabled(ADMIN, ADMIN_PASSWORD).withDefaultPermission(Permission.NO_PERMISSIONS));
        Optional<String> admin = basic(ADMIN, ADMIN_PASSWORD);
        ok(call(
                "POST",
                "/api/2.0/mlflow/users/create",
                Map.of("username", OUTSIDER, "password", "outsider-pw"),
                admin));
        experimentId = ok(call("POST", "/api/2.0/mlflow/experiments/create", Map.of("name", "secret"), admin))
                .path("experiment_id")
                .asText();
        JsonNode run = ok(call("POST", "/api/2.0/mlflow/runs/create", Map.of("experiment_id", experimentId), admin))
                .path("run")
                .path("info");
        runId = run.path("run_id").asText();
        String root = run.path("artifact_uri").asText().replaceFirst("^mlflow-artifacts:/", "");
        ok(call("PUT", "/api/2.0/mlflow-artifacts/artifacts/" + root + "/model/MLmodel", "flavors: {}\n", admin));
        ok(call("POST", "/api/2.0/mlflow/registered-models/create", Map.of("name", MODEL), admin));
        ok(call(
                "POST",
                "/api/2.0/mlflow/model-versions/create",
                Map.of("name", MODEL, "source", "runs:/" + runId + "/model", "run_id", runId),
                admin));
        ok(call(
                "POST",
                "/api/2.0/mlflow/registered-models/alias",
                Map.of("name", MODEL, "alias", "champion", "version", "1"),
                admin));
        ok(call("POST", "/api/2.0/axle/deployments", deployment(), admin));
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    @Test
    void everyRouteIsClassified() {
        List<String> unclassified = server.routeAccess().stream()
                .filter(route -> route.kind().isEmpty())
                .map(route -> route.method() + " " + route.path())
                .toList();
        assertThat(unclassified).as("routes without an access rule").isEmpty();
        assertThat(server.routeAccess()).hasSizeGreaterThan(100);
    }

    @Test
    void everyNonPublicRouteRefusesAnonymousCallers() {
        List<String> failures = new ArrayList<>();
        for (RouteAccess route : server.routeAccess()) {
            if (route.kind().equals(Optional.of(AccessRule.Kind.PUBLIC))) {
                continue;
            }
            Reply reply = call(route.method(), fill(route.path()) + query(route), body(route), Optional.empty());
            boolean page = route.method().equals("GET") && AccessPolicy.isUiPath(route.path());
            boolean refused = page
                    ? reply.status() == 303 && reply.location().orElse("").startsWith("/login?next=")
                    : reply.status() == 401;
            if (!refused) {
                failures.add(route.method() + " " + route.path() + " -> " + reply.status() + " " + reply.body());
            }
        }
        assertThat(failures)
                .as("routes that did not refuse an anonymous caller")
                .isEmpty();
    }

    @Test
    void everyResourceAndAdminRouteRefusesAUserWithoutPermissions() {
        Optional<String> outsider = basic(OUTSIDER, "outsider-pw");
        List<String> failures = new ArrayList<>();
        for (RouteAccess route : server.routeAccess()) {
            AccessRule.Kind kind = route.kind().orElse(AccessRule.Kind.RESOURCE);
            if (kind == AccessRule.Kind.PUBLIC || kind == AccessRule.Kind.AUTHENTICATED) {
                continue;
            }
            Reply reply = call(route.method(), fill(route.path()) + query(route), body(route), outsider);
            if (reply.status() != 403) {
                failures.add(kind + " " + route.method() + " " + route.path() + " -> " + reply.status() + " "
                        + abbreviate(reply.body()));
            }
        }
        assertThat(failures)
                .as("routes that did not answer 403 to a user without permissions")
                .isEmpty();
    }

    @Test
    void refusalsSayWhatIsNeededInMlflowsErrorShape() {
        Reply reply = call(
                "POST",
                "/api/2.0/mlflow/runs/log-metric",
                Map.of("run_id", runId, "key", "loss", "value", 1.0, "timestamp", 1),
                basic(OUTSIDER, "outsider-pw"));
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.json().path("error_code").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(reply.json().path("message").asText()).contains("EDIT").contains("experiment " + experimentId);
    }

    @Test
    void theSessionCookieDoesNotSignInToTheApi() {
        Reply reply = call(
                "GET",
                "/api/2.0/mlflow/experiments/search?max_results=5",
                null,
                Optional.empty(),
                Optional.of("axle_session=anything"));
        assertThat(reply.status()).isEqualTo(401);
    }

    @Test
    void movingAnAliasADeploymentFollowsNeedsManage() {
        Optional<String> admin = basic(ADMIN, ADMIN_PASSWORD);
        ok(call("POST", "/api/2.0/mlflow/users/create", Map.of("username", "editor", "password", "editor-pw"), admin));
        ok(call(
                "POST",
                "/api/2.0/mlflow/registered-models/permissions/create",
                Map.of("name", MODEL, "username", "editor", "permission", "EDIT"),
                admin));
        Optional<String> editor = basic("editor", "editor-pw");
        assertThat(call(
                                "POST",
                                "/api/2.0/mlflow/registered-models/alias",
                                Map.of("name", MODEL, "alias", "challenger", "version", "1"),
                                editor)
                        .status())
                .isEqualTo(200);
        Reply followed = call(
                "DELETE",
                "/api/2.0/mlflow/registered-models/alias",
                Map.of("name", MODEL, "alias", "champion"),
                editor);
        assertThat(followed.status()).isEqualTo(403);
        assertThat(followed.json().path("message").asText()).contains("MANAGE").contains(MODEL);
        assertThat(call("GET", "/api/2.0/axle/deployments/" + DEPLOYMENT, null, editor)
                        .status())
                .isEqualTo(200);
        assertThat(call("POST", "/api/2.0/axle/deployments/" + DEPLOYMENT + "/retry", Map.of(), editor)
                        .status())
                .isEqualTo(403);
    }

    @Test
    void aBrowserIsSentToSignInAndShownAnHtmlRefusal() {
        Reply anonymous = call("GET", "/experiments/" + experimentId + "?order_by=name", null, Optional.empty());
        assertThat(anonymous.status()).isEqualTo(303);
        assertThat(anonymous.location())
                .contains("/login?next=%2Fexperiments%2F" + experimentId + "%3Forder_by%3Dname");

        Reply refused = call("GET", "/models/" + MODEL, null, basic(OUTSIDER, "outsider-pw"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).startsWith("<!doctype html>").contains("READ on registered model");
        assertThat(call("GET", "/models", null, basic(OUTSIDER, "outsider-pw")).status())
                .isEqualTo(200);
    }

    // ---- requests aimed at the admin's resources

    private String fill(String template) {
        String path = template;
        if (template.startsWith("/api/2.0/axle/deployments") || template.startsWith("/deployments")) {
            path = path.replace("{name}", DEPLOYMENT);
        } else if (template.startsWith("/api/2.0/axle/gpu-pools")) {
            path = path.replace("{name}", "pool");
        }
        path = path.replace("{name}", MODEL);
        if (template.startsWith("/runs/")) {
            path = path.replace("{id}", runId);
        } else if (template.startsWith("/experiments/")) {
            path = path.replace("{id}", experimentId);
        }
        return path.replace("{version}", "1")
                .replace("{id}", "1")
                .replace("{webhook_id}", "1")
                .replace("{delivery_id}", "1")
                .replace("{delivery}", "1")
                .replace("{file}", "axle.css")
                .replace("<path>", experimentId + "/" + runId + "/artifacts/model/MLmodel");
    }

    private Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("experiment_id", experimentId);
        fields.put("run_id", runId);
        fields.put("run_uuid", runId);
        fields.put("name", MODEL);
        fields.put("version", "1");
        fields.put("alias", "champion");
        fields.put("stage", "Production");
        fields.put("experiment_name", "secret");
        fields.put("username", ADMIN);
        fields.put("permission", "MANAGE");
        fields.put("registered_model", MODEL);
        fields.put("key", "k");
        fields.put("value", "v");
        return fields;
    }

    private String query(RouteAccess route) {
        if (!route.method().equals("GET")) {
            return "";
        }
        StringBuilder query = new StringBuilder("?");
        fields().forEach((name, value) -> query.append(name)
                .append('=')
                .append(URLEncoder.encode(value.toString(), StandardCharsets.UTF_8))
                .append('&'));
        query.append("run_ids=")
                .append(runId)
                .append("&runs=")
                .append(runId)
                .append(",")
                .append(runId);
        query.append("&path=").append(experimentId).append("/").append(runId).append("/artifacts");
        return query.toString();
    }

    private Object body(RouteAccess route) {
        if (route.method().equals("GET")) {
            return null;
        }
        if (route.method().equals("PUT")) {
            return "bytes";
        }
        Map<String, Object> body = fields();
        body.put("experiment_ids", List.of(experimentId));
        return body;
    }

    private ObjectNode deployment() {
        ObjectNode spec = JSON.createObjectNode();
        spec.put("name", DEPLOYMENT);
        spec.put("registered_model", MODEL);
        spec.putObject("follows").put("alias", "champion");
        spec.putObject("environment").put("name", "production").put("namespace", "ml-prod");
        spec.put("replicas", 1);
        spec.putObject("resources")
                .put("cpu_request", "500m")
                .put("cpu_limit", "2")
                .put("memory_request", "1Gi")
                .put("memory_limit", "2Gi");
        spec.put("image_repository", "registry.example.com/ml/" + MODEL);
        spec.putObject("gitops")
                .put(
                        "repository_url",
                        temporaryDirectory.resolve("gitops").toUri().toString())
                .put("branch", "main")
                .put("path", "deploy");
        return spec;
    }

    // ---- HTTP

    static Optional<String> basic(String user, String password) {
        return Optional.of("Basic "
                + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    static JsonNode ok(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isBetween(200, 299);
        return reply.json();
    }

    Reply call(String method, String path, Object body, Optional<String> authorization) {
        return call(method, path, body, authorization, Optional.empty());
    }

    Reply call(String method, String path, Object body, Optional<String> authorization, Optional<String> cookie) {
        try {
            HttpRequest.BodyPublisher publisher;
            if (body == null) {
                publisher = HttpRequest.BodyPublishers.noBody();
            } else if (body instanceof String text) {
                publisher = HttpRequest.BodyPublishers.ofString(text);
            } else {
                publisher = HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                    .method(method, publisher)
                    .header("Content-Type", body instanceof String ? "application/octet-stream" : "application/json");
            authorization.ifPresent(value -> request.header("Authorization", value));
            cookie.ifPresent(value -> request.header("Cookie", value));
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(
                    response.statusCode(), response.body(), response.headers().firstValue("Location"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
