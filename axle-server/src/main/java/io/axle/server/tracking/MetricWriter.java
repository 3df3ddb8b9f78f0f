package io.axle.server.tracking;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The hot path of log-batch in plain JDBC: binding a hundred points through Jdbi's reflective argument lookup
 * cost more than the database's own work. Runs inside the caller's transaction.
 */
final class MetricWriter {
    private static final String UPDATE_LATEST = """
            MERGE INTO latest_metrics t
            USING (VALUES (CAST(? AS VARCHAR(32)), CAST(? AS VARCHAR(250)), CAST(? AS BIGINT),
                           CAST(? AS BIGINT), CAST(? AS DOUBLE PRECISION), CAST(? AS BOOLEAN)))
                AS s (run_uuid, metric_key, step, timestamp_ms, metric_value, is_nan)
            ON t.run_uuid = s.run_uuid AND t.metric_key = s.metric_key
            WHEN MATCHED AND (s.step, s.timestamp_ms, s.metric_value) > (t.step, t.timestamp_ms, t.metric_value)
                THEN UPDATE SET step = s.step, timestamp_ms = s.timestamp_ms, metric_value = s.metric_value, is_nan = s.is_nan
            WHEN NOT MATCHED THEN INSERT (run_uuid, metric_key, step, timestamp_ms, metric_value, is_nan)
                VALUES (s.run_uuid, s.metric_key, s.step, s.timestamp_ms, s.metric_value, s.is_nan)
            """;
    private static final String INSERT_POINT = """
            INSERT INTO metrics (series_id, timestamp_ms, step, metric_value, is_nan) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING
            """;

    private MetricWriter() {}

    /**
     * Updates the latest values (creating the series of new keys), then appends every point.
     *
     * @param latest the most recent point of each key in {@code points}, in key order
     */
    static void write(Handle handle, String runId, Collection<Metric> latest, List<Metric> points) {
        Connection connection = handle.getConnection();
        try {
            try (PreparedStatement merge = connection.prepareStatement(UPDATE_LATEST)) {
                for (Metric metric : latest) {
                    merge.setString(1, runId);
                    merge.setString(2, metric.key());
                    merge.setLong(3, metric.step());
                    merge.setLong(4, metric.timestamp());
                    merge.setDouble(5, storedValue(metric));
                    merge.setBoolean(6, Double.isNaN(metric.value()));
                    merge.addBatch();
                }
                merge.executeBatch();
            }
            Map<String, Long> series = series(connection, runId, latest);
            try (PreparedStatement insert = connection.prepareStatement(INSERT_POINT)) {
                for (Metric metric : points) {
                    insert.setLong(1, series.get(metric.key()));
                    insert.setLong(2, metric.timestamp());
                    insert.setLong(3, metric.step());
                    insert.setDouble(4, storedValue(metric));
                    insert.setBoolean(5, Double.isNaN(metric.value()));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    private static Map<String, Long> series(Connection connection, String runId, Collection<Metric> latest)
            throws SQLException {
        StringBuilder sql = new StringBuilder(
                "SELECT metric_key, series_id FROM latest_metrics WHERE run_uuid = ? AND metric_key IN (");
        for (int i = 0; i < latest.size(); i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        Map<String, Long> series = new HashMap<>();
        try (PreparedStatement select =
                connection.prepareStatement(sql.append(')').toString())) {
            int index = 1;
            select.setString(index++, runId);
            for (Metric metric : latest) {
                select.setString(index++, metric.key());
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    series.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return series;
    }

    // NaN is stored as 0 with is_nan set, so that ordering and comparisons stay plain SQL.
    static double storedValue(Metric metric) {
        return Double.isNaN(metric.value()) ? 0 : metric.value();
    }
}
