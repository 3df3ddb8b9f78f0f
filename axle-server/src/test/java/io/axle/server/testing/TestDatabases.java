package io.axle.server.testing;

import io.axle.server.db.BackendStore;
import io.axle.server.db.Dialect;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * Real databases for tests: a fresh in-memory H2, or a fresh database on the PostgreSQL at 127.0.0.1:5432
 * (override with AXLE_TEST_POSTGRES_URL, a jdbc:postgresql URL to an administrative database). Where PostgreSQL
 * cannot be reached the PostgreSQL tests are skipped with a message, except under CI=true, where they fail.
 */
public final class TestDatabases {
    private static final String ADMIN_URL = Optional.ofNullable(System.getenv("AXLE_TEST_POSTGRES_URL"))
            .orElse("jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER =
            Optional.ofNullable(System.getenv("AXLE_TEST_POSTGRES_USER")).orElse("postgres");

    private TestDatabases() {}

    public static BackendStore create(Dialect dialect) {
        return switch (dialect) {
            case H2 ->
                BackendStore.parse(
                        "jdbc:h2:mem:axle_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
            case POSTGRESQL -> createPostgres();
        };
    }

    /** Drops what {@link #create} made; an in-memory H2 goes with its last connection. */
    public static void drop(BackendStore store) {
        if (store.dialect() != Dialect.POSTGRESQL) {
            return;
        }
        String url = store.jdbcUrl().replaceFirst("\\?.*$", "");
        String database = url.substring(url.lastIndexOf('/') + 1);
        try (Connection admin = DriverManager.getConnection(ADMIN_URL, USER, "");
                Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop test database " + database, e);
        }
    }

    private static BackendStore createPostgres() {
        String database =
                "axle_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection admin = DriverManager.getConnection(ADMIN_URL, USER, "");
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            String message = "PostgreSQL at " + ADMIN_URL + " is not reachable (" + e.getMessage() + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(message + "; CI=true requires it", e);
            }
            Assumptions.abort(message + "; skipping the PostgreSQL variant of this test");
        }
        String base = ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1);
        return BackendStore.parse(
                "postgresql://" + USER + "@" + base.substring("jdbc:postgresql://".length()) + database);
    }
}
