package io.axle.server.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.server.ServerConfig;
import io.axle.server.artifacts.ArtifactHttp.Reply;
import io.axle.server.db.Dialect;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.TestServer;
import io.axle.storage.testing.S3TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/** The artifact proxy and run artifacts on an S3 artifacts destination, against an S3-compatible server. */
class S3ArtifactsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int PART = 5 * 1024 * 1024;

    @TempDir
    static Path dataDirectory;

    static S3TestServer s3;
    static String bucket;
    static TestServer server;
    static ArtifactHttp http;

    @BeforeAll
    static void start() {
        s3 = S3TestServer.shared();
        bucket = s3.newBucket();
        server = TestServer.start(config(true), Dialect.H2);
        http = new ArtifactHttp(server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static ServerConfig config(boolean serveArtifacts) {
        ServerConfig embedded = ServerConfig.embedded(dataDirectory);
        return new ServerConfig(
                embedded.host(),
                0,
                embedded.backendStore(),
                new ArtifactsDestination("s3://" + bucket + "/mlartifacts", s3.environment()),
                Optional.empty(),
                serveArtifacts,
                4);
    }

    @Test
    void aProxiedUploadLandsInTheBucketAndDownloadsByteForByte() {
        byte[] model = randomBytes(300_000);

        assertThat(http.upload("1/run1/artifacts/model/model.onnx", model).status())
                .isEqualTo(200);

        Reply download = http.download("1/run1/artifacts/model/model.onnx");
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(model);
        assertThat(download.header("Content-Length")).isEqualTo("300000");
        assertThat(s3.client()
                        .headObject(
                                request -> request.bucket(bucket).key("mlartifacts/1/run1/artifacts/model/model.onnx"))
                        .contentLength())
                .isEqualTo(300_000);
        assertThat(http.list("1/run1/artifacts").json().path("files").toString())
                .isEqualTo("[{\"path\":\"model\",\"is_dir\":true}]");
        assertThat(http.download("1/run1/artifacts/model").errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");

        assertThat(http.delete("1/run1/artifacts/model").status()).isEqualTo(200);
        assertThat(http.download("1/run1/artifacts/model/model.onnx").status()).isEqualTo(404);
    }

    @Test
    void aRunsArtifactsGoUpThroughTheProxyAndListAndDownloadByRun() {
        ApiClient api = server.client();
        String experimentId = api.post("experiments/create", Map.of("name", "s3-runs"))
                .json()
                .path("experiment_id")
                .asText();
        JsonNode run = api.post("runs/create", Map.of("experiment_id", experimentId))
                .json()
                .path("run")
                .path("info");
        String artifactUri = run.path("artifact_uri").asText();
        assertThat(artifactUri).startsWith("mlflow-artifacts:/");
        String root = artifactUri.substring("mlflow-artifacts:/".length());

        http.upload(root + "/model/MLmodel", "flavors: {}\n".getBytes(StandardCharsets.UTF_8));

        String runId = run.path("run_id").asText();
        Reply listed = http.get("/api/2.0/mlflow/artifacts/list?run_id=" + runId + "&path=model");
        assertThat(listed.json().path("files").toString())
                .isEqualTo("[{\"path\":\"model/MLmodel\",\"is_dir\":false,\"file_size\":12}]");
        assertThat(http.get("/get-artifact?run_id=" + runId + "&path=model/MLmodel")
                        .text())
                .isEqualTo("flavors: {}\n");
    }

    @Test
    void withoutTheProxyRunsKeepS3ArtifactUrisThatTheServerStillReads() {
        try (TestServer direct = TestServer.start(config(false), Dialect.H2)) {
            ApiClient api = direct.client();
            String experimentId = api.post("experiments/create", Map.of("name", "s3-direct"))
                    .json()
                    .path("experiment_id")
                    .asText();
            JsonNode run = api.post("runs/create", Map.of("experiment_id", experimentId))
                    .json()
                    .path("run")
                    .path("info");
            String artifactUri = run.path("artifact_uri").asText();
            assertThat(artifactUri).startsWith("s3://" + bucket + "/mlartifacts/" + experimentId + "/");
            // the client writes to S3 itself, as MLflow's does
            String key = artifactUri.substring(("s3://" + bucket + "/").length()) + "/metrics.json";
            s3.client().putObject(request -> request.bucket(bucket).key(key), RequestBody.fromString("{}"));

            ArtifactHttp directHttp = new ArtifactHttp(direct.url());
            String runId = run.path("run_id").asText();
            assertThat(directHttp
                            .get("/get-artifact?run_id=" + runId + "&path=metrics.json")
                            .text())
                    .isEqualTo("{}");
        }
    }

    @Test
    void largeFilesGoStraightToTheBucketInPartsThroughPresignedUrls() throws Exception {
        byte[] first = randomBytes(PART);
        byte[] second = randomBytes(1234);

        Reply created = http.post(
                "/api/2.0/mlflow-artifacts/mpu/create/7/run/artifacts/model",
                "{\"path\": \"/home/me/out/weights.bin\", \"num_parts\": 2}");
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        String uploadId = created.json().path("upload_id").asText();
        JsonNode credentials = created.json().path("credentials");
        assertThat(credentials).hasSize(2);

        List<Map<String, Object>> parts = new ArrayList<>();
        try (HttpClient client = HttpClient.newHttpClient()) {
            for (int index = 0; index < 2; index++) {
                JsonNode credential = credentials.get(index);
                assertThat(credential.path("part_number").asInt()).isEqualTo(index + 1);
                HttpRequest.Builder request = HttpRequest.newBuilder(
                                URI.create(credential.path("url").asText()))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(index == 0 ? first : second));
                credential
                        .path("headers")
                        .properties()
                        .forEach(header -> request.header(
                                header.getKey(), header.getValue().asText()));
                HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                parts.add(Map.of(
                        "part_number", index + 1,
                        "etag", response.headers().firstValue("ETag").orElseThrow(),
                        "url", credential.path("url").asText()));
            }
        }
        assertThat(http.download("7/run/artifacts/model/weights.bin").status()).isEqualTo(404);

        Reply completed = http.post(
                "/api/2.0/mlflow-artifacts/mpu/complete/7/run/artifacts/model",
                json(Map.of("path", "/home/me/out/weights.bin", "upload_id", uploadId, "parts", parts)));
        assertThat(completed.status()).as(completed.text()).isEqualTo(200);
        assertThat(completed.text()).isEqualTo("{}");

        byte[] downloaded = http.download("7/run/artifacts/model/weights.bin").body();
        assertThat(downloaded).hasSize(PART + 1234).startsWith(first).endsWith(second);
    }

    @Test
    void aWindowsClientsFileIsNamedByItsBaseName() {
        Reply created = http.post(
                "/api/2.0/mlflow-artifacts/mpu/create/9/run/artifacts",
                json(Map.of("path", "C:\\Users\\me\\model.pkl", "num_parts", 1)));

        assertThat(created.json().path("credentials").get(0).path("url").asText())
                .contains("/mlartifacts/9/run/artifacts/model.pkl?");
    }

    @Test
    void anAbortedUploadLeavesNothingAndCannotBeCompleted() {
        String body = "{\"path\": \"dropped.bin\", \"num_parts\": 1}";
        String uploadId = http.post("/api/2.0/mlflow-artifacts/mpu/create/8/run/artifacts", body)
                .json()
                .path("upload_id")
                .asText();

        Reply aborted = http.post(
                "/api/2.0/mlflow-artifacts/mpu/abort/8/run/artifacts",
                json(Map.of("path", "dropped.bin", "upload_id", uploadId)));
        Reply completed = http.post(
                "/api/2.0/mlflow-artifacts/mpu/complete/8/run/artifacts",
                json(Map.of(
                        "path",
                        "dropped.bin",
                        "upload_id",
                        uploadId,
                        "parts",
                        List.of(Map.of("part_number", 1, "etag", "\"x\"")))));

        assertThat(aborted.status()).as(aborted.text()).isEqualTo(200);
        assertThat(completed.errorCode()).as(completed.text()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        assertThat(http.download("8/run/artifacts/dropped.bin").status()).isEqualTo(404);
    }

    @Test
    void multipartRequestsAreChecked() {
        assertThat(http.post("/api/2.0/mlflow-artifacts/mpu/create/%2e%2e/x", "{\"path\": \"a\"}")
                        .status())
                .isEqualTo(400);
        assertThat(http.post("/api/2.0/mlflow-artifacts/mpu/create/9/x", "{\"path\": \"a\", \"num_parts\": 0}")
                        .errorCode())
                .isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(http.post("/api/2.0/mlflow-artifacts/mpu/create/9/x", "{\"path\": \"dir/\"}")
                        .errorCode())
                .isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(http.post("/api/2.0/mlflow-artifacts/mpu/create/9/x", "{}").errorCode())
                .isEqualTo("INVALID_PARAMETER_VALUE");
    }

    static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
