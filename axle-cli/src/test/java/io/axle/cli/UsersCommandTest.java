package io.axle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.axle.server.AxleServer;
import io.axle.server.ServerConfig;
import io.axle.server.auth.AuthConfig;
import io.axle.server.deploy.DeployConfig;
import io.axle.server.webhooks.WebhookConfig;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code axle users create|list|set-password|delete} against a real server with authentication on. */
class UsersCommandTest {
    @TempDir
    Path directory;

    record Result(int exitCode, String out, String err) {}

    @Test
    void adminCreatesListsChangesAndDeletesUsers() {
        try (AxleServer server = startWithAuth(directory)) {
            String asAdmin = withCredentials(server, "admin", "admin-password");
            Result created = withStdin(
                    "first-password\n",
                    () -> axle("users", "create", "alice", "--admin", "--password-stdin", "--tracking-uri", asAdmin));
            assertThat(created.exitCode()).as(created.err()).isZero();
            assertThat(created.out()).contains("Created admin alice");

            Result listed = axle("users", "list", "--tracking-uri", asAdmin);
            assertThat(listed.out()).contains("USERNAME").containsPattern("alice\\s+yes");
            assertThat(listed.out()).containsPattern("admin\\s+yes");

            String asAlice = withCredentials(server, "alice", "first-password");
            Result changed = withStdin(
                    "second-password\n",
                    () -> axle("users", "set-password", "alice", "--password-stdin", "--tracking-uri", asAlice));
            assertThat(changed.exitCode()).as(changed.err()).isZero();
            Result stale = axle("users", "list", "--tracking-uri", asAlice);
            assertThat(stale.exitCode()).isEqualTo(1);
            assertThat(stale.err()).contains("Invalid credentials");

            Result deleted = axle("users", "delete", "alice", "--tracking-uri", asAdmin);
            assertThat(deleted.exitCode()).as(deleted.err()).isZero();
            assertThat(axle("users", "list", "--tracking-uri", asAdmin).out()).doesNotContain("alice");

            Result anonymous = axle("users", "list", "--tracking-uri", server.url());
            assertThat(anonymous.exitCode()).isEqualTo(1);
        }
    }

    @Test
    void aPasswordIsNeverAnArgumentAndAShortOneIsRefused() {
        try (AxleServer server = startWithAuth(directory)) {
            String asAdmin = withCredentials(server, "admin", "admin-password");
            Result unknown = axle("users", "create", "bob", "--password", "x", "--tracking-uri", asAdmin);
            assertThat(unknown.exitCode()).isEqualTo(2);
            Result short_ = withStdin(
                    "short\n", () -> axle("users", "create", "bob", "--password-stdin", "--tracking-uri", asAdmin));
            assertThat(short_.exitCode()).isEqualTo(1);
            assertThat(short_.err()).contains("too short").doesNotContain("short\n");
        }
    }

    static AxleServer startWithAuth(Path directory) {
        return AxleServer.start(
                ServerConfig.embedded(directory),
                WebhookConfig.defaults(directory),
                DeployConfig.defaults(),
                AuthConfig.enabled("admin", "admin-password"));
    }

    static String withCredentials(AxleServer server, String user, String password) {
        return server.url().replace("http://", "http://" + user + ":" + password + "@");
    }

    static Result withStdin(String input, java.util.function.Supplier<Result> command) {
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return command.get();
        } finally {
            System.setIn(original);
        }
    }

    static Result axle(String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), arguments);
        return new Result(exitCode, out.toString(), err.toString());
    }
}
