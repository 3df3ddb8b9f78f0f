package io.axle.server.security;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.server.auth.AuthConfig;
import io.axle.server.db.BackendStore;
import io.axle.server.db.Dialect;
import io.axle.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Passwords, API tokens and webhook secrets are neither stored in plain text (every text column of every table is
 * searched) nor written to the server log. Git tokens are not stored at all: the GitOps publisher reads them from
 * {@code AXLE_GIT_SECRET_*} in the environment each time it pushes.
 */
class SecretsAtRestTest {
    private static final String ADMIN_PASSWORD = "admin-pw-6f1c2a9e";
    private static final String ALICE_PASSWORD = "alice-pw-b81d7730";
    private static final String WEBHOOK_SECRET = "hook-secret-4e5f90aa";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path data;

    @Test
    void noSecretIsStoredOrLoggedInPlainText() throws SQLException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(new Tee(original, log), true, UTF_8));
        List<String> secrets = new ArrayList<>(List.of(ADMIN_PASSWORD, ALICE_PASSWORD, WEBHOOK_SECRET));
        try (TestServer server = TestServer.start(Dialect.H2, data, AuthConfig.enabled("admin", ADMIN_PASSWORD))) {
            String admin = basic("admin", ADMIN_PASSWORD);
            ok(post(
                    server,
                    admin,
                    "/api/2.0/mlflow/users/create",
                    Map.of("username", "alice", "password", ALICE_PASSWORD)));
            JsonNode token =
                    ok(post(server, basic("alice", ALICE_PASSWORD), "/api/2.0/axle/tokens", Map.of("name", "ci")));
            String tokenSecret = token.path("secret").asText();
            assertThat(tokenSecret).isNotBlank();
            secrets.add(tokenSecret);
            ok(post(
                    server,
                    "Bearer " + tokenSecret,
                    "/api/2.0/mlflow/experiments/create",
                    Map.of("name", "with-a-token")));
            JsonNode webhook = ok(post(
                    server,
                    admin,
                    "/api/2.0/axle/webhooks",
                    Map.of(
                            "name",
                            "notify",
                            "url",
                            "https://93.184.215.14/axle",
                            "event_types",
                            List.of("VERSION_CREATED"),
                            "secret",
                            WEBHOOK_SECRET)));
            assertThat(webhook.toString()).doesNotContain(WEBHOOK_SECRET);
            // failed sign-ins with the secrets as user names must not echo them into the log either
            post(server, basic(ADMIN_PASSWORD, tokenSecret), "/api/2.0/mlflow/experiments/create", Map.of("name", "x"));
            post(server, "Bearer " + ADMIN_PASSWORD, "/api/2.0/mlflow/experiments/create", Map.of("name", "y"));

            List<String> stored = textColumns(server.backendStore());

            assertThat(stored).as("text values in the database").isNotEmpty();
            for (String secret : secrets) {
                assertThat(stored).noneMatch(value -> value.contains(secret));
            }
        } finally {
            System.setErr(original);
        }
        String logged = log.toString(UTF_8);
        for (String secret : secrets) {
            assertThat(logged).doesNotContain(secret);
        }
    }

    private static List<String> textColumns(BackendStore store) throws SQLException {
        List<String> values = new ArrayList<>();
        Set<Integer> textTypes = Set.of(
                Types.VARCHAR, Types.CHAR, Types.LONGVARCHAR, Types.CLOB, Types.NVARCHAR, Types.NCLOB, Types.OTHER);
        try (Connection connection = DriverManager.getConnection(
                store.jdbcUrl(), store.user().orElse(""), store.password().orElse(""))) {
            DatabaseMetaData metadata = connection.getMetaData();
            List<String[]> columns = new ArrayList<>();
            try (ResultSet tables = metadata.getTables(null, null, "%", new String[] {"TABLE"})) {
                while (tables.next()) {
                    String schema = tables.getString("TABLE_SCHEM");
                    if ("INFORMATION_SCHEMA".equalsIgnoreCase(schema)) {
                        continue;
                    }
                    String table = tables.getString("TABLE_NAME");
                    try (ResultSet column = metadata.getColumns(null, schema, table, "%")) {
                        while (column.next()) {
                            if (textTypes.contains(column.getInt("DATA_TYPE"))) {
                                columns.add(new String[] {schema, table, column.getString("COLUMN_NAME")});
                            }
                        }
                    }
                }
            }
            try (Statement statement = connection.createStatement()) {
                for (String[] column : columns) {
                    String sql = "SELECT \"" + column[2] + "\" FROM \"" + column[0] + "\".\"" + column[1] + "\"";
                    try (ResultSet rows = statement.executeQuery(sql)) {
                        while (rows.next()) {
                            String value = rows.getString(1);
                            if (value != null) {
                                values.add(column[1] + "." + column[2] + "=" + value);
                            }
                        }
                    }
                }
            }
        }
        return values;
    }

    private static JsonNode ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(UTF_8));
    }

    private static HttpResponse<String> post(TestServer server, String authorization, String path, Object body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + path))
                    .header("Authorization", authorization)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(body)))
                    .build();
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Writes to the real stderr and keeps a copy. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int value) throws IOException {
            first.write(value);
            second.write(value);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }
    }
}
