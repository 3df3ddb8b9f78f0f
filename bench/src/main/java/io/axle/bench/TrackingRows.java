package io.axle.bench;

import io.axle.server.db.BackendStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Runs inserted with plain JDBC straight into the tracking tables of V1__tracking.sql, shaped as runs/create and
 * log-batch leave them (5 params, 3 metrics with one point each), for benchmarks that need more runs than the API
 * can create in reasonable time. Series ids are taken from a range far above what the identity column hands out.
 */
final class TrackingRows {
    private static final int BATCH = 2_000;
    private static final long SERIES_BASE = 1_000_000_000L;
    private static final String[] METRICS = {"acc", "loss", "f1"};

    private TrackingRows() {}

    static String runId(int run) {
        return String.format(Locale.ROOT, "b0%030x", run);
    }

    /** Runs {@code first} (inclusive) to {@code end} (exclusive) in {@code experimentId}. */
    static void insert(BackendStore store, long experimentId, int first, int end) throws SQLException {
        try (Connection connection = DriverManager.getConnection(
                store.jdbcUrl(), store.user().orElse(null), store.password().orElse(null))) {
            connection.setAutoCommit(false);
            try (PreparedStatement runs = connection.prepareStatement(
                            "INSERT INTO runs (run_uuid, experiment_id, run_name, user_id, status, start_time, "
                                    + "end_time, lifecycle_stage, artifact_uri) "
                                    + "VALUES (?, ?, ?, 'bench', 'FINISHED', ?, ?, 'active', ?)");
                    PreparedStatement params = connection.prepareStatement(
                            "INSERT INTO params (run_uuid, param_key, param_value) VALUES (?, ?, ?)");
                    PreparedStatement latest = connection.prepareStatement(
                            "INSERT INTO latest_metrics (run_uuid, metric_key, series_id, step, timestamp_ms, "
                                    + "metric_value, is_nan) VALUES (?, ?, ?, 0, ?, ?, FALSE)");
                    PreparedStatement points = connection.prepareStatement(
                            "INSERT INTO metrics (series_id, timestamp_ms, step, metric_value, is_nan) "
                                    + "VALUES (?, ?, 0, ?, FALSE)")) {
                int pending = 0;
                for (int run = first; run < end; run++) {
                    String id = runId(run);
                    long start = 1_600_000_000_000L + run;
                    runs.setString(1, id);
                    runs.setLong(2, experimentId);
                    runs.setString(3, "bulk-" + run);
                    runs.setLong(4, start);
                    runs.setLong(5, start + 60_000);
                    runs.setString(6, "mlflow-artifacts:/" + experimentId + "/" + id + "/artifacts");
                    runs.addBatch();
                    String[][] values = {
                        {"lr", run % 3 == 0 ? "0.01" : "0.001"},
                        {"depth", Integer.toString(run % 8)},
                        {"optimizer", "adam"},
                        {"batch_size", "64"},
                        {"seed", Integer.toString(run)}
                    };
                    for (String[] param : values) {
                        params.setString(1, id);
                        params.setString(2, param[0]);
                        params.setString(3, param[1]);
                        params.addBatch();
                    }
                    for (int metric = 0; metric < METRICS.length; metric++) {
                        long series = SERIES_BASE + (long) run * METRICS.length + metric;
                        double value = ((long) run * (7919 + metric * 96_810) % 1000) / 1000.0;
                        latest.setString(1, id);
                        latest.setString(2, METRICS[metric]);
                        latest.setLong(3, series);
                        latest.setLong(4, start);
                        latest.setDouble(5, value);
                        latest.addBatch();
                        points.setLong(1, series);
                        points.setLong(2, start);
                        points.setDouble(3, value);
                        points.addBatch();
                    }
                    if (++pending == BATCH) {
                        flush(connection, runs, params, latest, points);
                        pending = 0;
                    }
                }
                flush(connection, runs, params, latest, points);
            }
        }
    }

    private static void flush(Connection connection, PreparedStatement... statements) throws SQLException {
        for (PreparedStatement statement : statements) {
            statement.executeBatch();
        }
        connection.commit();
    }
}
