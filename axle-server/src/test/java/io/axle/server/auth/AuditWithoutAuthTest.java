package io.axle.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.axle.server.db.Dialect;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditWithoutAuthTest {
    @TempDir
    Path data;

    @Test
    void askingAServerWithoutAuthForItsAuditLogSaysWhyThereIsNone() {
        try (TestServer server = TestServer.start(Dialect.H2, data)) {
            ApiClient.Response response = server.client().get("/api/2.0/axle/audit?since=1h");

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.errorCode()).isEqualTo("INVALID_STATE");
            assertThat(response.body()).contains("without --auth", "/api/2.0/axle/events");
        }
    }
}
