package io.axle.cli;

import static io.axle.cli.UsersCommandTest.axle;
import static io.axle.cli.UsersCommandTest.startWithAuth;
import static io.axle.cli.UsersCommandTest.withCredentials;
import static org.assertj.core.api.Assertions.assertThat;

import io.axle.cli.UsersCommandTest.Result;
import io.axle.server.AxleServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code axle tokens create|list|revoke} against a real server with authentication on. */
class TokensCommandTest {
    @TempDir
    Path directory;

    @Test
    void createsATokenThatSignsInListsItWithoutItsSecretAndRevokesIt() throws Exception {
        try (AxleServer server = startWithAuth(directory)) {
            String asAdmin = withCredentials(server, "admin", "admin-password");
            Result created = axle("tokens", "create", "--name", "ci", "--expires-in", "30d", "--tracking-uri", asAdmin);
            assertThat(created.exitCode()).as(created.err()).isZero();
            assertThat(created.out()).contains("will not be shown again");
            Matcher secret = Pattern.compile("^(axle_\\S+)$", Pattern.MULTILINE).matcher(created.out());
            assertThat(secret.find()).isTrue();
            Matcher id = Pattern.compile("Created token (\\w+)").matcher(created.out());
            assertThat(id.find()).isTrue();

            assertThat(status(server, secret.group(1))).isEqualTo(200);

            Result listed = axle("tokens", "list", "--tracking-uri", asAdmin);
            assertThat(listed.out())
                    .contains(id.group(1))
                    .containsPattern("ci\\s+ACTIVE")
                    .doesNotContain(secret.group(1));

            Result never = axle("tokens", "create", "--expires-in", "never", "--tracking-uri", asAdmin);
            assertThat(never.out()).contains("expires never");
            Result bad = axle("tokens", "create", "--expires-in", "soon", "--tracking-uri", asAdmin);
            assertThat(bad.exitCode()).isEqualTo(1);
            assertThat(bad.err()).contains("30d");

            Result revoked = axle("tokens", "revoke", id.group(1), "--tracking-uri", asAdmin);
            assertThat(revoked.exitCode()).as(revoked.err()).isZero();
            assertThat(axle("tokens", "list", "--tracking-uri", asAdmin).out()).containsPattern("ci\\s+REVOKED");
            assertThat(status(server, secret.group(1))).isEqualTo(401);
        }
    }

    private static int status(AxleServer server, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "/api/2.0/axle/tokens"))
                .header("Authorization", "Bearer " + token)
                .build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }
}
