package io.axle.server.artifacts;

import static io.axle.server.artifacts.ArtifactProxyTest.bytes;
import static io.axle.server.artifacts.ArtifactProxyTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.axle.server.artifacts.ArtifactHttp.Reply;
import io.axle.server.http.ErrorResponses;
import io.axle.server.http.Json;
import io.axle.storage.LocalBlobStore;
import io.javalin.Javalin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's artifacts through the tracking API ({@code artifacts/list}) and the UI's {@code get-artifact}, on a real
 * HTTP server whose runs are fixed by the test until the tracking service provides them.
 */
class RunArtifactsTest {
    @TempDir
    static Path directory;

    static Javalin server;
    static ArtifactHttp http;

    @BeforeAll
    static void start() throws IOException {
        Path destination = directory.resolve("artifacts");
        Files.createDirectories(directory.resolve("elsewhere"));
        Files.writeString(directory.resolve("elsewhere/secret.txt"), "not an artifact");
        RunArtifactRoots runs = new MapRunArtifactRoots(Map.of(
                "run-a", "mlflow-artifacts:/1/run-a/artifacts",
                "run-host", "mlflow-artifacts://tracking.example:5000/1/run-a/artifacts",
                "run-http", "http://tracking.example/api/2.0/mlflow-artifacts/artifacts/1/run-a/artifacts",
                "run-file", destination.resolve("0/run-f/artifacts").toUri().toString(),
                "run-path", destination.resolve("0/run-f/artifacts").toString(),
                "run-empty", "mlflow-artifacts:/1/run-empty/artifacts",
                "run-outside", directory.resolve("elsewhere").toUri().toString(),
                "run-traversal", "mlflow-artifacts:/1/../../elsewhere",
                "run-s3", "s3://bucket/mlflow/1/run-s3/artifacts"));
        Json json = new Json();
        ArtifactRoutes routes = new ArtifactRoutes(
                new ArtifactService(
                        LocalBlobStore.open(destination), ArtifactsDestination.local(destination), true, runs),
                json);
        server = Javalin.create(config -> {
                    config.startup.showJavalinBanner = false;
                    config.router.ignoreTrailingSlashes = true;
                    new ErrorResponses(json).register(config.routes);
                    routes.register(config.routes);
                })
                .start("127.0.0.1", 0);
        http = new ArtifactHttp("http://127.0.0.1:" + server.port());
        http.upload("1/run-a/artifacts/metrics.txt", bytes("loss 0.1\n"));
        http.upload("1/run-a/artifacts/model/MLmodel", bytes("flavors: {}\n"));
        http.upload("1/run-a/artifacts/model/data/weights.bin", bytes("0123"));
        http.upload("0/run-f/artifacts/local.txt", bytes("from a file location"));
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void aRunsArtifactsAreListedRelativeToItsArtifactRoot() {
        assertThat(http.get("/api/2.0/mlflow/artifacts/list?run_id=run-a").json())
                .isEqualTo(json("""
                        {"root_uri": "mlflow-artifacts:/1/run-a/artifacts",
                         "files": [
                           {"path": "metrics.txt", "is_dir": false, "file_size": 9},
                           {"path": "model", "is_dir": true}
                         ]}"""));
        assertThat(http.get("/api/2.0/mlflow/artifacts/list?run_id=run-a&path=model")
                        .json())
                .isEqualTo(json("""
                        {"root_uri": "mlflow-artifacts:/1/run-a/artifacts",
                         "files": [
                           {"path": "model/MLmodel", "is_dir": false, "file_size": 12},
                           {"path": "model/data", "is_dir": true}
                         ]}"""));
        assertThat(http.get("/ajax-api/2.0/mlflow/artifacts/list?run_uuid=run-a&path=model/data&page_token=")
                        .json()
                        .path("files")
                        .findValuesAsText("path"))
                .containsExactly("model/data/weights.bin");
    }

    @Test
    void aRunWithoutArtifactsListsOnlyItsRoot() {
        assertThat(http.get("/api/2.0/mlflow/artifacts/list?run_id=run-empty").json())
                .isEqualTo(json("{\"root_uri\": \"mlflow-artifacts:/1/run-empty/artifacts\"}"));
    }

    @Test
    void proxiedRootsNamingAHostOrTheProxyUrlLieInTheDestinationToo() {
        for (String run : new String[] {"run-host", "run-http"}) {
            assertThat(http.get("/api/2.0/mlflow/artifacts/list?run_id=" + run + "&path=model")
                            .json()
                            .path("files")
                            .findValuesAsText("path"))
                    .containsExactly("model/MLmodel", "model/data");
        }
    }

    @Test
    void fileLocationsInsideTheDestinationAreServed() {
        for (String run : new String[] {"run-file", "run-path"}) {
            Reply listed = http.get("/api/2.0/mlflow/artifacts/list?run_id=" + run);
            Reply fetched = http.get("/get-artifact?run_id=" + run + "&path=local.txt");

            assertThat(listed.json().path("files").findValuesAsText("path")).containsExactly("local.txt");
            assertThat(fetched.text()).isEqualTo("from a file location");
        }
    }

    @Test
    void locationsOutsideTheDestinationAreRefusedByName() {
        for (Reply reply : new Reply[] {
            http.get("/api/2.0/mlflow/artifacts/list?run_id=run-outside"),
            http.get("/get-artifact?run_id=run-outside&path=secret.txt")
        }) {
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
            assertThat(reply.json().path("message").asText())
                    .contains(directory.resolve("elsewhere").toUri().toString())
                    .contains("lies outside the artifacts destination");
        }
        Reply traversal = http.get("/get-artifact?run_id=run-traversal&path=secret.txt");
        assertThat(traversal.status()).isEqualTo(400);
        assertThat(traversal.text()).doesNotContain("not an artifact");
    }

    @Test
    void otherStoresAreNotSupportedYet() {
        Reply reply = http.get("/api/2.0/mlflow/artifacts/list?run_id=run-s3");

        assertThat(reply.status()).isEqualTo(501);
        assertThat(reply.errorCode()).isEqualTo("NOT_IMPLEMENTED");
        assertThat(reply.json().path("message").asText())
                .startsWith("Artifact location 's3://bucket/mlflow/1/run-s3/artifacts' is not supported yet");
    }

    @Test
    void requestsNeedAKnownRunAndASafePath() {
        Reply missingRun = http.get("/api/2.0/mlflow/artifacts/list?path=model");
        Reply unknownRun = http.get("/api/2.0/mlflow/artifacts/list?run_id=nope");
        Reply traversal = http.get("/api/2.0/mlflow/artifacts/list?run_id=run-a&path=../../..");

        assertThat(missingRun.status()).isEqualTo(400);
        assertThat(missingRun.json().path("message").asText())
                .isEqualTo("Missing value for required parameter 'run_id'. "
                        + "See the API docs for more information about request parameters.");
        assertThat(unknownRun.status()).isEqualTo(404);
        assertThat(unknownRun.errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        assertThat(traversal.status()).isEqualTo(400);
        assertThat(traversal.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
    }

    @Test
    void getArtifactServesARunsFileAsAnAttachment() {
        Reply reply = http.get("/get-artifact?path=model/MLmodel&run_uuid=run-a");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.text()).isEqualTo("flavors: {}\n");
        assertThat(reply.header("Content-Type")).isEqualTo("text/plain");
        assertThat(reply.header("Content-Disposition")).isEqualTo("attachment; filename=MLmodel");
        assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void getArtifactAnswersMissingThingsInJson() {
        Reply noPath = http.get("/get-artifact?run_id=run-a");
        Reply noFile = http.get("/get-artifact?run_id=run-a&path=model/absent.txt");
        Reply unsafe = http.get("/get-artifact?run_id=run-a&path=%2e%2e/%2e%2e/%2e%2e/elsewhere/secret.txt");

        assertThat(noPath.status()).isEqualTo(400);
        assertThat(noPath.json().path("message").asText()).contains("'path'");
        assertThat(noFile.status()).isEqualTo(404);
        assertThat(noFile.json().path("message").asText()).isEqualTo("No artifact 'model/absent.txt' in run run-a");
        assertThat(unsafe.status()).isEqualTo(400);
        assertThat(unsafe.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
    }
}
