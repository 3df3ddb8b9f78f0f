package io.axle.server.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.server.ServerConfig;
import io.axle.server.artifacts.ArtifactsDestination;
import io.axle.server.db.Dialect;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.ApiClient.Response;
import io.axle.server.testing.TestServer;
import io.axle.storage.testing.S3TestServer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry's copies on an S3 artifacts destination, against an S3-compatible server. */
class S3RegistryTest {
    private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts/";

    @TempDir
    Path dataDirectory;

    @Test
    void aVersionIsCopiedWithinTheBucketAndServedFromTheRegistrysCopy() throws Exception {
        S3TestServer s3 = S3TestServer.shared();
        String bucket = s3.newBucket();
        ServerConfig embedded = ServerConfig.embedded(dataDirectory);
        ServerConfig config = new ServerConfig(
                embedded.host(),
                0,
                embedded.backendStore(),
                new ArtifactsDestination("s3://" + bucket + "/mlartifacts", s3.environment()),
                Optional.empty(),
                true,
                4);
        try (TestServer server = TestServer.start(config, Dialect.H2)) {
            ApiClient api = server.client();
            JsonNode run =
                    ok(api.post("runs/create", Map.of("experiment_id", "0"))).path("run");
            String runId = run.path("info").path("run_id").asText();
            String root = run.path("info").path("artifact_uri").asText().replaceFirst("^mlflow-artifacts:/", "");
            byte[] weights = "weights on s3".getBytes(UTF_8);
            assertThat(api.put(PROXY + root + "/model/model.onnx", weights).status())
                    .isEqualTo(200);
            assertThat(api.put(PROXY + root + "/model/MLmodel", "flavors: {}".getBytes(UTF_8))
                            .status())
                    .isEqualTo(200);

            ok(api.post("registered-models/create", Map.of("name", "fraud s3")));
            JsonNode version = ok(api.post(
                            "model-versions/create", Map.of("name", "fraud s3", "source", "runs:/" + runId + "/model")))
                    .path("model_version");
            assertThat(version.path("status").asText()).isEqualTo("READY");

            JsonNode resolved = ok(api.get(
                    "/api/2.0/axle/models/resolve?uri=" + java.net.URLEncoder.encode("models:/fraud s3/1", UTF_8)));
            String sha256 = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(weights));
            assertThat(resolved.path("files").findValuesAsText("sha256")).contains(sha256);
            assertThat(s3.client()
                            .headObject(head -> head.bucket(bucket).key("mlartifacts/models/fraud s3/1/model.onnx"))
                            .contentLength())
                    .isEqualTo(weights.length);

            assertThat(api.send(java.net.http.HttpRequest.newBuilder(api.uri(PROXY + root + "/model/model.onnx"))
                                    .DELETE()
                                    .build())
                            .status())
                    .isEqualTo(200);
            assertThat(api.download(PROXY + "models/fraud%20s3/1/model.onnx")).isEqualTo(weights);

            JsonNode orphans = ok(api.get("/api/2.0/axle/registry/orphans"));
            assertThat(orphans.path("orphans")).isEmpty();
        }
    }

    private static JsonNode ok(Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }
}
