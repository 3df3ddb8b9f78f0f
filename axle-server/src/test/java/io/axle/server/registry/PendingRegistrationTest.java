package io.axle.server.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.server.AxleServer;
import io.axle.server.ServerConfig;
import io.axle.server.db.BackendStore;
import io.axle.server.testing.ApiClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A version left PENDING_REGISTRATION by a server that stopped mid-copy is copied when the server starts again. */
class PendingRegistrationTest {
    @TempDir
    Path directory;

    @Test
    void aRestartedServerFinishesTheCopiesItLeftPending() throws Exception {
        ServerConfig config = ServerConfig.embedded(directory);
        String runId;
        try (AxleServer server = AxleServer.start(config)) {
            ApiClient api = new ApiClient(server.url());
            JsonNode run =
                    api.post("runs/create", Map.of("experiment_id", "0")).json().path("run");
            runId = run.path("info").path("run_id").asText();
            String root = run.path("info").path("artifact_uri").asText().replaceFirst("^mlflow-artifacts:/", "");
            api.put("/api/2.0/mlflow-artifacts/artifacts/" + root + "/model/MLmodel", "pending".getBytes(UTF_8));
            assertThat(api.post("registered-models/create", Map.of("name", "pending"))
                            .status())
                    .isEqualTo(200);
        }
        // what a server killed between recording the version and finishing its copy leaves behind
        BackendStore store = BackendStore.embedded(directory);
        try (Connection connection = DriverManager.getConnection(
                        store.jdbcUrl(),
                        store.user().orElse(""),
                        store.password().orElse(""));
                PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO model_versions (model_id, version, creation_time, last_updated_time, description,
                            user_id, current_stage, source, run_id, run_link, status, status_message, storage_key)
                        SELECT model_id, 1, 0, 0, '', '', 'None', ?, ?, '', 'PENDING_REGISTRATION', '',
                            'models/pending/1'
                        FROM registered_models WHERE name = 'pending'
                        """)) {
            insert.setString(1, "runs:/" + runId + "/model");
            insert.setString(2, runId);
            assertThat(insert.executeUpdate()).isEqualTo(1);
            connection.createStatement().execute("UPDATE registered_models SET last_version = 1");
        }
        try (AxleServer server = AxleServer.start(config)) {
            ApiClient api = new ApiClient(server.url());
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            String status = "";
            while (Instant.now().isBefore(deadline) && !status.equals("READY")) {
                status = api.get("model-versions/get?name=pending&version=1")
                        .json()
                        .path("model_version")
                        .path("status")
                        .asText();
                Thread.sleep(50);
            }
            assertThat(status).isEqualTo("READY");
            assertThat(directory.resolve("artifacts/models/pending/1/MLmodel")).hasContent("pending");
        }
    }
}
