package io.axle.server.registry;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(VersionDao.VersionRow.class)
@RegisterConstructorMapper(VersionDao.VersionTagRow.class)
@RegisterConstructorMapper(ModelFile.class)
@RegisterConstructorMapper(VersionDao.FileRow.class)
interface VersionDao {
    record FileRow(long modelId, long version, String path, long size, String sha256) {}

    record VersionRow(
            long modelId,
            String name,
            long version,
            long creationTime,
            long lastUpdatedTime,
            String description,
            String userId,
            String currentStage,
            String source,
            String runId,
            String runLink,
            String status,
            String statusMessage,
            String storageKey) {}

    record VersionTagRow(long modelId, long version, String tagKey, String tagValue) {}

    String COLUMNS = """
            v.model_id, m.name, v.version, v.creation_time, v.last_updated_time, v.description, v.user_id,
            v.current_stage, v.source, v.run_id, v.run_link, v.status, v.status_message, v.storage_key
            """;
    String FROM = " FROM model_versions v JOIN registered_models m ON m.model_id = v.model_id ";

    @SqlUpdate("""
            INSERT INTO model_versions (model_id, version, creation_time, last_updated_time, description, user_id,
                current_stage, source, run_id, run_link, status, status_message, storage_key)
            VALUES (:modelId, :version, :creationTime, :lastUpdatedTime, :description, :userId, :currentStage,
                :source, :runId, :runLink, :status, :statusMessage, :storageKey)
            """)
    void insert(
            long modelId,
            long version,
            long creationTime,
            long lastUpdatedTime,
            String description,
            String userId,
            String currentStage,
            String source,
            String runId,
            String runLink,
            String status,
            String statusMessage,
            String storageKey);

    @SqlQuery("SELECT " + COLUMNS + FROM + "WHERE v.model_id = :modelId AND v.version = :version")
    Optional<VersionRow> find(long modelId, long version);

    @SqlQuery("SELECT " + COLUMNS + FROM + "WHERE v.model_id = :modelId ORDER BY v.version")
    List<VersionRow> ofModel(long modelId);

    @SqlQuery("SELECT " + COLUMNS + FROM + "ORDER BY v.model_id, v.version")
    List<VersionRow> all();

    @SqlQuery(
            "SELECT model_id, version, tag_key, tag_value FROM model_version_tags ORDER BY model_id, version, tag_key")
    List<VersionTagRow> allTags();

    @SqlQuery("SELECT model_id, version, path, size, sha256 FROM model_version_files ORDER BY model_id, version, path")
    List<FileRow> allFiles();

    @SqlQuery("SELECT " + COLUMNS + FROM + "WHERE v.status = 'PENDING_REGISTRATION' ORDER BY v.model_id, v.version")
    List<VersionRow> pending();

    /** The latest version in each stage of each model, as latest_versions shows them. */
    @SqlQuery("SELECT " + COLUMNS + FROM + """
            JOIN (SELECT model_id, current_stage, MAX(version) AS version FROM model_versions
                  WHERE model_id IN (<modelIds>) GROUP BY model_id, current_stage) l
              ON l.model_id = v.model_id AND l.version = v.version
            ORDER BY v.model_id, v.version
            """)
    List<VersionRow> latestPerStage(@BindList("modelIds") Collection<Long> modelIds);

    @SqlQuery("SELECT " + COLUMNS + FROM + """
            WHERE v.model_id = :modelId AND v.current_stage = :stage ORDER BY v.version DESC LIMIT 1
            """)
    Optional<VersionRow> latestInStage(long modelId, String stage);

    @SqlQuery("SELECT " + COLUMNS + FROM + "WHERE v.model_id = :modelId ORDER BY v.version DESC LIMIT 1")
    Optional<VersionRow> latest(long modelId);

    @SqlQuery("SELECT COUNT(*) FROM model_versions WHERE storage_key = :storageKey")
    int countWithStorageKey(String storageKey);

    @SqlQuery("SELECT storage_key FROM model_versions")
    List<String> storageKeys();

    @SqlQuery("""
            SELECT model_id, version, tag_key, tag_value FROM model_version_tags
            WHERE model_id IN (<modelIds>) ORDER BY model_id, version, tag_key
            """)
    List<VersionTagRow> tags(@BindList("modelIds") Collection<Long> modelIds);

    @SqlUpdate("""
            MERGE INTO model_version_tags t
            USING (VALUES (CAST(:modelId AS BIGINT), CAST(:version AS BIGINT), CAST(:key AS VARCHAR(250)),
                           CAST(:value AS VARCHAR(5000))))
                AS s (model_id, version, tag_key, tag_value)
            ON t.model_id = s.model_id AND t.version = s.version AND t.tag_key = s.tag_key
            WHEN MATCHED THEN UPDATE SET tag_value = s.tag_value
            WHEN NOT MATCHED THEN INSERT (model_id, version, tag_key, tag_value)
                VALUES (s.model_id, s.version, s.tag_key, s.tag_value)
            """)
    void setTag(long modelId, long version, String key, String value);

    @SqlUpdate("DELETE FROM model_version_tags WHERE model_id = :modelId AND version = :version AND tag_key = :key")
    int deleteTag(long modelId, long version, String key);

    @SqlUpdate("""
            UPDATE model_versions SET description = :description, last_updated_time = :now
            WHERE model_id = :modelId AND version = :version
            """)
    void setDescription(long modelId, long version, String description, long now);

    @SqlUpdate("""
            UPDATE model_versions SET current_stage = :stage, last_updated_time = :now
            WHERE model_id = :modelId AND version = :version
            """)
    void setStage(long modelId, long version, String stage, long now);

    @SqlUpdate("""
            UPDATE model_versions SET status = :status, status_message = :statusMessage, last_updated_time = :now
            WHERE model_id = :modelId AND version = :version
            """)
    int setStatus(long modelId, long version, String status, String statusMessage, long now);

    @SqlUpdate("UPDATE model_versions SET last_updated_time = :now WHERE model_id = :modelId AND version = :version")
    void touch(long modelId, long version, long now);

    @SqlUpdate("DELETE FROM model_versions WHERE model_id = :modelId AND version = :version")
    int delete(long modelId, long version);

    @SqlBatch("""
            INSERT INTO model_version_files (model_id, version, path, size, sha256)
            VALUES (:modelId, :version, :path, :size, :sha256)
            """)
    void insertFiles(long modelId, long version, List<String> path, List<Long> size, List<String> sha256);

    @SqlQuery("""
            SELECT path, size, sha256 FROM model_version_files
            WHERE model_id = :modelId AND version = :version ORDER BY path
            """)
    List<ModelFile> files(long modelId, long version);

    @SqlUpdate("DELETE FROM model_version_files WHERE model_id = :modelId AND version = :version")
    void deleteFiles(long modelId, long version);
}
