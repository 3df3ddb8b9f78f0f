package io.axle.server.registry;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(ModelDao.ModelRow.class)
@RegisterConstructorMapper(ModelDao.TagRow.class)
@RegisterConstructorMapper(ModelDao.AliasRow.class)
interface ModelDao {
    record ModelRow(
            long modelId,
            String name,
            long creationTime,
            long lastUpdatedTime,
            String description,
            String userId,
            long lastVersion) {}

    record TagRow(long modelId, String tagKey, String tagValue) {}

    record AliasRow(long modelId, String alias, long version) {}

    String COLUMNS = "model_id, name, creation_time, last_updated_time, description, user_id, last_version";

    @SqlUpdate("""
            INSERT INTO registered_models (name, creation_time, last_updated_time, description, user_id, last_version)
            VALUES (:name, :now, :now, :description, :userId, 0)
            """)
    @GetGeneratedKeys("model_id")
    long insert(String name, long now, String description, String userId);

    @SqlUpdate("""
            INSERT INTO registered_models
                (name, creation_time, last_updated_time, description, user_id, last_version)
            VALUES (:name, :creationTime, :lastUpdatedTime, :description, :userId, :lastVersion)
            """)
    @GetGeneratedKeys("model_id")
    long insertImported(
            String name, long creationTime, long lastUpdatedTime, String description, String userId, long lastVersion);

    @SqlQuery("SELECT " + COLUMNS + " FROM registered_models WHERE name = :name")
    Optional<ModelRow> findByName(String name);

    @SqlQuery("SELECT " + COLUMNS + " FROM registered_models WHERE name = :name FOR UPDATE")
    Optional<ModelRow> findByNameForUpdate(String name);

    @SqlQuery("SELECT " + COLUMNS + " FROM registered_models ORDER BY name")
    List<ModelRow> all();

    @SqlQuery("SELECT model_id, tag_key, tag_value FROM registered_model_tags ORDER BY model_id, tag_key")
    List<TagRow> allTags();

    @SqlQuery("SELECT model_id, alias, version FROM registered_model_aliases ORDER BY model_id, alias")
    List<AliasRow> allAliases();

    @SqlQuery("SELECT " + COLUMNS + " FROM registered_models WHERE model_id IN (<modelIds>)")
    List<ModelRow> findAll(@BindList("modelIds") Collection<Long> modelIds);

    @SqlUpdate("UPDATE registered_models SET name = :name, last_updated_time = :now WHERE model_id = :modelId")
    void rename(long modelId, String name, long now);

    @SqlUpdate("""
            UPDATE registered_models SET description = :description, last_updated_time = :now
            WHERE model_id = :modelId
            """)
    void setDescription(long modelId, String description, long now);

    @SqlUpdate("UPDATE registered_models SET last_updated_time = :now WHERE model_id = :modelId")
    void touch(long modelId, long now);

    // the row lock this takes makes concurrent creators of one model's versions take turns: 1, 2, 3, no gaps
    @SqlUpdate("""
            UPDATE registered_models SET last_version = last_version + 1, last_updated_time = :now
            WHERE model_id = :modelId
            """)
    void advanceVersion(long modelId, long now);

    @SqlQuery("SELECT last_version FROM registered_models WHERE model_id = :modelId")
    long lastVersion(long modelId);

    @SqlUpdate("DELETE FROM registered_models WHERE model_id = :modelId")
    void delete(long modelId);

    @SqlQuery("""
            SELECT model_id, tag_key, tag_value FROM registered_model_tags
            WHERE model_id IN (<modelIds>) ORDER BY model_id, tag_key
            """)
    List<TagRow> tags(@BindList("modelIds") Collection<Long> modelIds);

    @SqlUpdate("""
            MERGE INTO registered_model_tags t
            USING (VALUES (CAST(:modelId AS BIGINT), CAST(:key AS VARCHAR(250)), CAST(:value AS VARCHAR(5000))))
                AS s (model_id, tag_key, tag_value)
            ON t.model_id = s.model_id AND t.tag_key = s.tag_key
            WHEN MATCHED THEN UPDATE SET tag_value = s.tag_value
            WHEN NOT MATCHED THEN INSERT (model_id, tag_key, tag_value) VALUES (s.model_id, s.tag_key, s.tag_value)
            """)
    void setTag(long modelId, String key, String value);

    @SqlUpdate("DELETE FROM registered_model_tags WHERE model_id = :modelId AND tag_key = :key")
    int deleteTag(long modelId, String key);

    @SqlQuery("""
            SELECT model_id, alias, version FROM registered_model_aliases
            WHERE model_id IN (<modelIds>) ORDER BY model_id, alias
            """)
    List<AliasRow> aliases(@BindList("modelIds") Collection<Long> modelIds);

    @SqlQuery("SELECT version FROM registered_model_aliases WHERE model_id = :modelId AND alias = :alias")
    Optional<Long> aliasVersion(long modelId, String alias);

    @SqlUpdate("""
            MERGE INTO registered_model_aliases t
            USING (VALUES (CAST(:modelId AS BIGINT), CAST(:alias AS VARCHAR(256)), CAST(:version AS BIGINT)))
                AS s (model_id, alias, version)
            ON t.model_id = s.model_id AND t.alias = s.alias
            WHEN MATCHED THEN UPDATE SET version = s.version
            WHEN NOT MATCHED THEN INSERT (model_id, alias, version) VALUES (s.model_id, s.alias, s.version)
            """)
    void setAlias(long modelId, String alias, long version);

    @SqlUpdate("DELETE FROM registered_model_aliases WHERE model_id = :modelId AND alias = :alias")
    int deleteAlias(long modelId, String alias);
}
