package io.axle.server.artifacts;

import static io.axle.server.artifacts.ArtifactProxyTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.axle.server.ServerConfig;
import io.axle.server.artifacts.ArtifactHttp.Reply;
import io.axle.server.db.Dialect;
import io.axle.server.testing.TestServer;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code axle server --no-serve-artifacts}: the artifact proxy answers as MLflow's does in that mode. */
class NoServeArtifactsTest {
    @TempDir
    Path dataDirectory;

    @Test
    void theArtifactProxyIsDisabledButRunArtifactsStillAnswer() {
        ServerConfig embedded = ServerConfig.embedded(dataDirectory);
        ServerConfig config = new ServerConfig(
                embedded.host(),
                0,
                embedded.backendStore(),
                embedded.artifactsDestination(),
                Optional.empty(),
                false,
                4);
        try (TestServer server = TestServer.start(config, Dialect.H2)) {
            ArtifactHttp http = new ArtifactHttp(server.url());

            for (Reply reply : new Reply[] {
                http.upload("1/run/artifacts/a.txt", bytes("a")),
                http.download("1/run/artifacts/a.txt"),
                http.delete("1/run/artifacts/a.txt"),
                http.list("1/run/artifacts"),
                http.get("/ajax-api/2.0/mlflow-artifacts/artifacts"),
                http.post("/api/2.0/mlflow-artifacts/mpu/create/1/run/artifacts/a.txt", "{}")
            }) {
                assertThat(reply.status()).isEqualTo(503);
                assertThat(reply.errorCode()).isEqualTo("TEMPORARILY_UNAVAILABLE");
                assertThat(reply.json().path("message").asText())
                        .startsWith("Endpoint: /")
                        .contains("disabled due to the server running with `--no-serve-artifacts`");
            }
            assertThat(http.download("1/run/artifacts/a.txt")
                            .json()
                            .path("message")
                            .asText())
                    .startsWith("Endpoint: /api/2.0/mlflow-artifacts/artifacts/<path> disabled");
            assertThat(dataDirectory.resolve("artifacts/1")).doesNotExist();
            assertThat(http.get("/api/2.0/mlflow/artifacts/list?run_id=unknown").errorCode())
                    .isEqualTo("RESOURCE_DOES_NOT_EXIST");
        }
    }
}
