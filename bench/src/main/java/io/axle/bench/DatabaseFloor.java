package io.axle.bench;

import io.axle.server.db.BackendStore;
import io.axle.server.db.Dialect;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The reference the log-batch figures are read against, measured in the same run on the same backend: the
 * database alone, over plain JDBC in this process, inserting 100 points into a table shaped like Axle's history
 * and making each commit as durable as Axle does (PostgreSQL: its commit; H2: a CHECKPOINT). What Axle adds on
 * top is HTTP, JSON, validation, the latest-value upsert and the run check.
 */
final class DatabaseFloor {
    private DatabaseFloor() {}

    static void measure(BackendStore store, int seconds) throws SQLException {
        try (Connection connection = DriverManager.getConnection(
                store.jdbcUrl(), store.user().orElse(null), store.password().orElse(null))) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS bench_floor");
                statement.execute("CREATE TABLE bench_floor (series_id BIGINT NOT NULL, timestamp_ms BIGINT NOT NULL, "
                        + "step BIGINT NOT NULL, metric_value DOUBLE PRECISION NOT NULL, is_nan BOOLEAN NOT NULL, "
                        + "PRIMARY KEY (series_id, timestamp_ms, step, metric_value, is_nan))");
            }
            connection.setAutoCommit(false);
            boolean h2 = store.dialect() == Dialect.H2;
            long step = 0;
            long commits = 0;
            long warmupEnd = System.nanoTime() + 3_000_000_000L;
            long end = warmupEnd + seconds * 1_000_000_000L;
            try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO bench_floor VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
                    Statement checkpoint = connection.createStatement()) {
                while (System.nanoTime() < end) {
                    long timestamp = System.currentTimeMillis();
                    for (int i = 0; i < 100; i++) {
                        insert.setLong(1, i % 10);
                        insert.setLong(2, timestamp);
                        insert.setLong(3, step + i / 10);
                        insert.setDouble(4, Math.random());
                        insert.setBoolean(5, false);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                    connection.commit();
                    if (h2) {
                        checkpoint.execute("CHECKPOINT");
                    }
                    step += 10;
                    if (System.nanoTime() > warmupEnd) {
                        commits++;
                    }
                }
            }
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE bench_floor");
            }
            double perSecond = commits / (double) seconds;
            System.out.printf(
                    Locale.ROOT,
                    "| reference: the database alone (plain JDBC, 100-row insert + durable commit, 1 thread, %s) | %.0f commits/s = %.0f metrics/s |%n",
                    store.dialect(),
                    perSecond,
                    perSecond * 100);
        }
    }
}
