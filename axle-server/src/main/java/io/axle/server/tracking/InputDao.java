package io.axle.server.tracking;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(InputDao.InputRow.class)
@RegisterConstructorMapper(InputDao.InputTagRow.class)
interface InputDao {
    record InputRow(
            String runUuid,
            String inputUuid,
            String name,
            String digest,
            String sourceType,
            String datasetSource,
            String datasetSchema,
            String datasetProfile) {}

    record InputTagRow(String inputUuid, String tagKey, String tagValue) {}

    @SqlQuery(
            "SELECT dataset_uuid FROM datasets WHERE experiment_id = :experimentId AND name = :name AND digest = :digest")
    Optional<String> findDataset(long experimentId, String name, String digest);

    @SqlUpdate("""
            INSERT INTO datasets (dataset_uuid, experiment_id, name, digest, source_type, dataset_source, dataset_schema, dataset_profile)
            VALUES (:datasetUuid, :experimentId, :name, :digest, :sourceType, :source, :schema, :profile)
            """)
    void insertDataset(
            String datasetUuid,
            long experimentId,
            String name,
            String digest,
            String sourceType,
            String source,
            String schema,
            String profile);

    @SqlQuery("SELECT input_uuid FROM inputs WHERE run_uuid = :runUuid AND dataset_uuid = :datasetUuid")
    Optional<String> findInput(String runUuid, String datasetUuid);

    @SqlUpdate("INSERT INTO inputs (input_uuid, run_uuid, dataset_uuid) VALUES (:inputUuid, :runUuid, :datasetUuid)")
    void insertInput(String inputUuid, String runUuid, String datasetUuid);

    @SqlBatch("INSERT INTO input_tags (input_uuid, tag_key, tag_value) VALUES (:inputUuid, :key, :value)")
    void insertInputTags(String inputUuid, List<String> key, List<String> value);

    @SqlQuery("""
            SELECT i.run_uuid, i.input_uuid, d.name, d.digest, d.source_type, d.dataset_source, d.dataset_schema, d.dataset_profile
            FROM inputs i JOIN datasets d ON d.dataset_uuid = i.dataset_uuid
            WHERE i.run_uuid IN (<runUuids>)
            ORDER BY i.run_uuid, d.name, d.digest
            """)
    List<InputRow> inputsOf(@BindList("runUuids") Collection<String> runUuids);

    @SqlQuery("""
            SELECT t.input_uuid, t.tag_key, t.tag_value FROM input_tags t JOIN inputs i ON i.input_uuid = t.input_uuid
            WHERE i.run_uuid IN (<runUuids>) ORDER BY t.input_uuid, t.tag_key
            """)
    List<InputTagRow> inputTagsOf(@BindList("runUuids") Collection<String> runUuids);
}
