package io.axle.server.tracking;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(ExperimentDao.ExperimentRow.class)
@RegisterConstructorMapper(ExperimentDao.ExperimentTagRow.class)
interface ExperimentDao {
    record ExperimentRow(
            long experimentId,
            String name,
            String artifactLocation,
            String lifecycleStage,
            long creationTime,
            long lastUpdateTime) {}

    record ExperimentTagRow(long experimentId, String tagKey, String tagValue) {}

    String COLUMNS = "experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time";

    @SqlUpdate("""
            INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time)
            VALUES (:name, :artifactLocation, 'active', :now, :now)
            """)
    @GetGeneratedKeys("experiment_id")
    long insert(String name, String artifactLocation, long now);

    @SqlUpdate("""
            INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
            VALUES (0, :name, :artifactLocation, 'active', :now, :now)
            """)
    void insertDefault(String name, String artifactLocation, long now);

    @SqlUpdate("UPDATE experiments SET artifact_location = :artifactLocation WHERE experiment_id = :experimentId")
    void setArtifactLocation(long experimentId, String artifactLocation);

    @SqlQuery("SELECT " + COLUMNS + " FROM experiments WHERE experiment_id = :experimentId")
    Optional<ExperimentRow> find(long experimentId);

    @SqlQuery("SELECT " + COLUMNS + " FROM experiments WHERE experiment_id = :experimentId FOR UPDATE")
    Optional<ExperimentRow> findForUpdate(long experimentId);

    @SqlQuery("SELECT " + COLUMNS + " FROM experiments WHERE name = :name")
    Optional<ExperimentRow> findByName(String name);

    @SqlQuery("SELECT " + COLUMNS + " FROM experiments WHERE experiment_id IN (<experimentIds>)")
    List<ExperimentRow> findAll(@BindList("experimentIds") Collection<Long> experimentIds);

    @SqlQuery("""
            SELECT experiment_id, tag_key, tag_value FROM experiment_tags
            WHERE experiment_id IN (<experimentIds>) ORDER BY experiment_id, tag_key
            """)
    List<ExperimentTagRow> tags(@BindList("experimentIds") Collection<Long> experimentIds);

    @SqlUpdate("UPDATE experiments SET name = :name, last_update_time = :now WHERE experiment_id = :experimentId")
    void rename(long experimentId, String name, long now);

    @SqlUpdate("""
            UPDATE experiments SET lifecycle_stage = :lifecycleStage, last_update_time = :now
            WHERE experiment_id = :experimentId
            """)
    void setLifecycleStage(long experimentId, String lifecycleStage, long now);

    @SqlUpdate("""
            MERGE INTO experiment_tags t
            USING (VALUES (CAST(:experimentId AS BIGINT), CAST(:key AS VARCHAR(250)), CAST(:value AS VARCHAR(5000))))
                AS s (experiment_id, tag_key, tag_value)
            ON t.experiment_id = s.experiment_id AND t.tag_key = s.tag_key
            WHEN MATCHED THEN UPDATE SET tag_value = s.tag_value
            WHEN NOT MATCHED THEN INSERT (experiment_id, tag_key, tag_value) VALUES (s.experiment_id, s.tag_key, s.tag_value)
            """)
    void setTag(long experimentId, String key, String value);

    @SqlUpdate("DELETE FROM experiment_tags WHERE experiment_id = :experimentId AND tag_key = :key")
    int deleteTag(long experimentId, String key);
}
