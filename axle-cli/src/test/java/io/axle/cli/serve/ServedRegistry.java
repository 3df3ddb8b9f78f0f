package io.axle.cli.serve;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.cli.client.Credentials;
import io.axle.cli.client.TrackingClient;
import io.axle.server.db.Dialect;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.TestServer;
import java.nio.file.Path;
import java.util.Map;

/** A real in-process Axle server with registered model versions whose files are small MLflow model directories. */
final class ServedRegistry implements AutoCloseable {
    private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts/";

    private final TestServer server;
    private final ApiClient api;

    private ServedRegistry(TestServer server) {
        this.server = server;
        this.api = server.client();
    }

    static ServedRegistry start(Path dataDirectory) {
        return new ServedRegistry(TestServer.start(Dialect.H2, dataDirectory));
    }

    String url() {
        return server.url();
    }

    Path dataDirectory() {
        return server.dataDirectory();
    }

    /** A client as {@code axle serve} makes one; the caller closes it. */
    TrackingClient trackingClient() {
        return TrackingClient.connect(server.url(), Credentials.none(), "test server");
    }

    /** Logs {@code files} as a run's {@code model} directory; returns the run id. */
    String run(Map<String, byte[]> files) {
        JsonNode run = ok(api.post("runs/create", Map.of("experiment_id", "0"))).path("run");
        String root = run.path("info").path("artifact_uri").asText().replaceFirst("^mlflow-artifacts:/", "");
        files.forEach((file, content) -> assertThat(
                        api.put(PROXY + root + "/model/" + file, content).status())
                .isEqualTo(200));
        return run.path("info").path("run_id").asText();
    }

    /** Registers a new version of {@code name} (created if new) from a run with {@code files}; returns its number. */
    String register(String name, Map<String, byte[]> files) {
        String runId = run(files);
        if (api.get("registered-models/get?name=" + name).status() != 200) {
            ok(api.post("registered-models/create", Map.of("name", name)));
        }
        return ok(api.post("model-versions/create", Map.of("name", name, "source", "runs:/" + runId + "/model")))
                .path("model_version")
                .path("version")
                .asText();
    }

    void setAlias(String name, String alias, String version) {
        ok(api.post("registered-models/alias", Map.of("name", name, "alias", alias, "version", version)));
    }

    void transition(String name, String version, String stage) {
        ok(api.post(
                "model-versions/transition-stage",
                Map.of("name", name, "version", version, "stage", stage, "archive_existing_versions", true)));
    }

    void setTag(String name, String version, String key, String value) {
        ok(api.post("model-versions/set-tag", Map.of("name", name, "version", version, "key", key, "value", value)));
    }

    Map<String, String> tags(String name, String version) {
        JsonNode tags = ok(api.get("model-versions/get?name=" + name + "&version=" + version))
                .path("model_version")
                .path("tags");
        java.util.Map<String, String> found = new java.util.TreeMap<>();
        tags.forEach(
                tag -> found.put(tag.path("key").asText(), tag.path("value").asText()));
        return found;
    }

    /** A model directory with an MLmodel file naming {@code model.onnx}, and those bytes. */
    static Map<String, byte[]> modelFiles(byte[] onnx) {
        return Map.of(
                "MLmodel",
                "flavors:\n  onnx:\n    data: model.onnx\n    onnx_version: 1.17.0\n".getBytes(UTF_8),
                "model.onnx",
                onnx);
    }

    private static JsonNode ok(ApiClient.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    @Override
    public void close() {
        server.close();
    }
}
