package io.axle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.axle.server.AxleServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code axle audit} against a real server with authentication on. */
class AuditCommandTest {
    @TempDir
    Path directory;

    @Test
    void anAdminSeesChangesAndRefusalsFilteredByActorAndTime() throws Exception {
        try (AxleServer server = UsersCommandTest.startWithAuth(directory)) {
            String asAdmin = UsersCommandTest.withCredentials(server, "admin", "admin-password");
            post(server, "/api/2.0/mlflow/experiments/create", "{\"name\":\"audited\"}", "admin:admin-password");
            post(server, "/api/2.0/mlflow/experiments/create", "{\"name\":\"nope\"}", "admin:wrong-password");

            UsersCommandTest.Result all = UsersCommandTest.axle("audit", "--since", "1h", "--tracking-uri", asAdmin);
            assertThat(all.exitCode()).as(all.err()).isZero();
            assertThat(all.out())
                    .contains("ACTOR")
                    .containsPattern("admin\\s+POST\\s+200")
                    .containsPattern("anonymous\\s+POST\\s+401")
                    .contains("/api/2.0/mlflow/experiments/create")
                    .doesNotContain("admin-password");

            UsersCommandTest.Result mine = UsersCommandTest.axle(
                    "audit", "--actor", "anonymous", "--max-results", "5", "--tracking-uri", asAdmin);
            assertThat(mine.out()).contains("anonymous").doesNotContain("admin  ");

            UsersCommandTest.Result future =
                    UsersCommandTest.axle("audit", "--since", "2999-01-01T00:00:00Z", "--tracking-uri", asAdmin);
            assertThat(future.out()).contains("No audit entries.");

            UsersCommandTest.Result bad = UsersCommandTest.axle("audit", "--since", "soon", "--tracking-uri", asAdmin);
            assertThat(bad.exitCode()).isEqualTo(1);
            assertThat(bad.err()).contains("Invalid --since");
        }
    }

    private static void post(AxleServer server, String path, String body, String credentials) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header(
                        "Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .build();
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding());
    }
}
