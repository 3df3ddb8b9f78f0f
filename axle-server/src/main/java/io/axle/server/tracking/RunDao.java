package io.axle.server.tracking;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterRowMapper(RunDao.RunRowMapper.class)
@RegisterRowMapper(RunDao.KeyValueRowMapper.class)
@RegisterRowMapper(RunDao.MetricRowMapper.class)
interface RunDao {
    record RunRow(
            String runUuid,
            long experimentId,
            String runName,
            String userId,
            String status,
            long startTime,
            Long endTime,
            String lifecycleStage,
            String artifactUri) {}

    /** A param or tag of a run. */
    record KeyValueRow(String runUuid, String entryKey, String entryValue) {}

    record MetricRow(
            String runUuid, String metricKey, double metricValue, boolean isNan, long timestampMs, long step) {}

    final class RunRowMapper implements RowMapper<RunRow> {
        @Override
        public RunRow map(ResultSet rs, StatementContext ctx) throws SQLException {
            long endTime = rs.getLong(7);
            Long endTimeOrNull = rs.wasNull() ? null : endTime;
            return new RunRow(
                    rs.getString(1),
                    rs.getLong(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getLong(6),
                    endTimeOrNull,
                    rs.getString(8),
                    rs.getString(9));
        }
    }

    // Hand-written mappers for the rows read by the thousand (histories, search results): no reflection per row.
    final class KeyValueRowMapper implements RowMapper<KeyValueRow> {
        @Override
        public KeyValueRow map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new KeyValueRow(rs.getString(1), rs.getString(2), rs.getString(3));
        }
    }

    final class MetricRowMapper implements RowMapper<MetricRow> {
        @Override
        public MetricRow map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new MetricRow(
                    rs.getString(1), rs.getString(2), rs.getDouble(3), rs.getBoolean(4), rs.getLong(5), rs.getLong(6));
        }
    }

    String COLUMNS =
            "run_uuid, experiment_id, run_name, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri";

    @SqlUpdate("""
            INSERT INTO runs (run_uuid, experiment_id, run_name, user_id, status, start_time, lifecycle_stage, artifact_uri)
            VALUES (:runUuid, :experimentId, :runName, :userId, :status, :startTime, 'active', :artifactUri)
            """)
    void insert(
            String runUuid,
            long experimentId,
            String runName,
            String userId,
            String status,
            long startTime,
            String artifactUri);

    @SqlQuery("SELECT " + COLUMNS + " FROM runs WHERE run_uuid = :runUuid")
    Optional<RunRow> find(String runUuid);

    @SqlQuery("SELECT " + COLUMNS + " FROM runs WHERE run_uuid IN (<runUuids>)")
    List<RunRow> findAll(@BindList("runUuids") Collection<String> runUuids);

    @SqlUpdate("""
            UPDATE runs SET status = :status, end_time = :endTime, run_name = :runName WHERE run_uuid = :runUuid
            """)
    void update(String runUuid, String status, Long endTime, String runName);

    @SqlUpdate("UPDATE runs SET run_name = :runName WHERE run_uuid = :runUuid")
    void rename(String runUuid, String runName);

    @SqlUpdate("""
            UPDATE runs SET lifecycle_stage = :lifecycleStage, deleted_time = :deletedTime WHERE run_uuid = :runUuid
            """)
    void setLifecycleStage(String runUuid, String lifecycleStage, Long deletedTime);

    @SqlUpdate("""
            UPDATE runs SET lifecycle_stage = :lifecycleStage, deleted_time = :deletedTime
            WHERE experiment_id = :experimentId AND lifecycle_stage <> :lifecycleStage
            """)
    void setLifecycleStageOfExperiment(long experimentId, String lifecycleStage, Long deletedTime);

    // params

    @SqlBatch(
            "INSERT INTO params (run_uuid, param_key, param_value) VALUES (:runUuid, :key, :value) ON CONFLICT DO NOTHING")
    void insertParams(String runUuid, List<String> key, List<String> value);

    @SqlQuery("""
            SELECT run_uuid, param_key AS entry_key, param_value AS entry_value FROM params
            WHERE run_uuid = :runUuid AND param_key IN (<keys>)
            """)
    List<KeyValueRow> params(String runUuid, @BindList("keys") Collection<String> keys);

    @SqlQuery("""
            SELECT run_uuid, param_key AS entry_key, param_value AS entry_value FROM params
            WHERE run_uuid IN (<runUuids>) ORDER BY run_uuid, param_key
            """)
    List<KeyValueRow> paramsOf(@BindList("runUuids") Collection<String> runUuids);

    // tags

    @SqlBatch("""
            MERGE INTO tags t
            USING (VALUES (CAST(:runUuid AS VARCHAR(32)), CAST(:key AS VARCHAR(250)), CAST(:value AS VARCHAR(8000))))
                AS s (run_uuid, tag_key, tag_value)
            ON t.run_uuid = s.run_uuid AND t.tag_key = s.tag_key
            WHEN MATCHED THEN UPDATE SET tag_value = s.tag_value
            WHEN NOT MATCHED THEN INSERT (run_uuid, tag_key, tag_value) VALUES (s.run_uuid, s.tag_key, s.tag_value)
            """)
    void setTags(String runUuid, List<String> key, List<String> value);

    @SqlUpdate("DELETE FROM tags WHERE run_uuid = :runUuid AND tag_key = :key")
    int deleteTag(String runUuid, String key);

    @SqlQuery("SELECT tag_value FROM tags WHERE run_uuid = :runUuid AND tag_key = :key")
    Optional<String> tag(String runUuid, String key);

    @SqlQuery("""
            SELECT run_uuid, tag_key AS entry_key, tag_value AS entry_value FROM tags
            WHERE run_uuid IN (<runUuids>) ORDER BY run_uuid, tag_key
            """)
    List<KeyValueRow> tagsOf(@BindList("runUuids") Collection<String> runUuids);

    // metrics

    @SqlQuery("""
            SELECT run_uuid, metric_key, metric_value, is_nan, timestamp_ms, step FROM latest_metrics
            WHERE run_uuid IN (<runUuids>) ORDER BY run_uuid, metric_key
            """)
    List<MetricRow> latestMetricsOf(@BindList("runUuids") Collection<String> runUuids);

    @SqlQuery("""
            SELECT s.run_uuid, s.metric_key, m.metric_value, m.is_nan, m.timestamp_ms, m.step
            FROM latest_metrics s JOIN metrics m ON m.series_id = s.series_id
            WHERE s.run_uuid = :runUuid AND s.metric_key = :key
            ORDER BY m.timestamp_ms, m.step, m.metric_value, m.is_nan
            LIMIT :limit OFFSET :offset
            """)
    List<MetricRow> history(String runUuid, String key, int offset, int limit);

    @SqlQuery("""
            SELECT DISTINCT m.step FROM latest_metrics s JOIN metrics m ON m.series_id = s.series_id
            WHERE s.run_uuid = :runUuid AND s.metric_key = :key ORDER BY m.step
            """)
    List<Long> steps(String runUuid, String key);

    @SqlQuery("""
            SELECT s.run_uuid, s.metric_key, m.metric_value, m.is_nan, m.timestamp_ms, m.step
            FROM latest_metrics s JOIN metrics m ON m.series_id = s.series_id
            WHERE s.run_uuid = :runUuid AND s.metric_key = :key AND m.step IN (<steps>)
            ORDER BY m.step, m.timestamp_ms, m.metric_value
            """)
    List<MetricRow> historyAtSteps(String runUuid, String key, @BindList("steps") Collection<Long> steps);
}
