package io.axle.server.deploy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.server.AxleServer;
import io.axle.server.ServerConfig;
import io.axle.server.db.BackendStore;
import io.axle.server.deploy.gitops.GitOpsPublisher;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.ApiClient.Response;
import io.axle.server.webhooks.WebhookConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Servers, models and deployments for the deploy tests, all through the real HTTP API. */
public final class DeployFixtures {
    public static final String DEPLOYMENTS = "/api/2.0/axle/deployments";
    public static final String POOLS = "/api/2.0/axle/gpu-pools";
    private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts/";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DeployFixtures() {}

    /** A server whose deployer polls every 50 ms, with no GPU headroom so that the arithmetic is round. */
    public static AxleServer start(BackendStore store, Path data, GitOpsPublisher publisher) {
        return AxleServer.start(
                ServerConfig.embedded(data).withBackendStore(store).withPort(0),
                WebhookConfig.defaults(data)
                        .withAllowPrivate(List.of("127.0.0.1"))
                        .withTiming(
                                Duration.ofSeconds(2),
                                Duration.ofMillis(100),
                                Duration.ofSeconds(5),
                                Duration.ofMillis(50)),
                DeployConfig.defaults()
                        .withPublisher(publisher)
                        .withPollInterval(Duration.ofMillis(50))
                        .withHeadroomBytes(0));
    }

    /** A CPU deployment of {@code model} following {@code alias}, committed to {@code repositoryUrl}. */
    public static ObjectNode deployment(String name, String model, String alias, String repositoryUrl) {
        ObjectNode spec = MAPPER.createObjectNode();
        spec.put("name", name);
        spec.put("registered_model", model);
        spec.putObject("follows").put("alias", alias);
        spec.putObject("environment").put("name", "production").put("namespace", "ml-prod");
        spec.put("replicas", 2);
        spec.putObject("resources")
                .put("cpu_request", "500m")
                .put("cpu_limit", "2")
                .put("memory_request", "1Gi")
                .put("memory_limit", "2Gi");
        spec.putObject("env").put("AXLE_LOG_LEVEL", "info");
        spec.put("image_repository", "registry.example.com/ml/" + model);
        spec.putObject("gitops")
                .put("repository_url", repositoryUrl)
                .put("branch", "main")
                .put("path", "deploy");
        return spec;
    }

    /** Registers a model (if new) and a version of it whose files are an ONNX model; returns the version. */
    public static String registerVersion(ApiClient api, String model, Map<String, String> tags) {
        api.post("registered-models/create", Map.of("name", model));
        JsonNode run = ok(api.post("runs/create", Map.of("experiment_id", "0"))).path("run");
        String runId = run.path("info").path("run_id").asText();
        String root = run.path("info").path("artifact_uri").asText().replaceFirst("^mlflow-artifacts:/", "");
        Map.of("MLmodel", "flavors:\n  onnx:\n    onnx_version: 1.17.0\n", "model.onnx", "not really onnx " + runId)
                .forEach((file, content) -> ok(api.put(PROXY + root + "/model/" + file, content.getBytes(UTF_8))));
        JsonNode version = ok(api.post(
                        "model-versions/create", Map.of("name", model, "source", "runs:/" + runId + "/model")))
                .path("model_version");
        String number = version.path("version").asText();
        tags.forEach((key, value) -> ok(api.post(
                "model-versions/set-tag", Map.of("name", model, "version", number, "key", key, "value", value))));
        return number;
    }

    public static void setAlias(ApiClient api, String model, String alias, String version) {
        ok(api.post("registered-models/alias", Map.of("name", model, "alias", alias, "version", version)));
    }

    public static JsonNode deploymentOf(ApiClient api, String name) {
        return ok(api.get(DEPLOYMENTS + "/" + name)).path("deployment");
    }

    public static JsonNode ok(Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    public static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
