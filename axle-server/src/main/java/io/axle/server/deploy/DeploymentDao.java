package io.axle.server.deploy;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(DeploymentDao.DeploymentRow.class)
@RegisterConstructorMapper(DeploymentDao.RevisionRow.class)
@RegisterConstructorMapper(DeploymentDao.PoolRow.class)
@RegisterConstructorMapper(DeploymentDao.CursorRow.class)
interface DeploymentDao {
    record DeploymentRow(
            String name,
            String registeredModel,
            String spec,
            String gpuPool,
            Long gpuMemoryBytes,
            String status,
            String statusMessage,
            Long currentVersion,
            String lastCommit,
            Long replicaBytes,
            long creationTime,
            long lastUpdatedTime) {}

    record RevisionRow(
            long revisionId,
            String deployment,
            long version,
            String commitSha,
            String actor,
            long eventSeq,
            long createdTime) {}

    /** {@code exporters}: the exporters' URLs, one a line; empty for a configured pool. */
    record PoolRow(String name, int nodes, int gpusPerNode, long memoryPerGpu, String exporters) {}

    record CursorRow(long lastSeq, String leaseOwner, Long leaseUntil) {}

    String COLUMNS = "name, registered_model, spec, gpu_pool, gpu_memory_bytes, status, status_message, "
            + "current_version, last_commit, replica_bytes, creation_time, last_updated_time";

    // ---- deployments

    @SqlUpdate("INSERT INTO deployments (" + COLUMNS + """
            ) VALUES (:name, :registeredModel, :spec, :gpuPool, :gpuMemoryBytes, 'PENDING', :statusMessage,
                      NULL, NULL, NULL, :now, :now)
            """)
    void insert(
            String name,
            String registeredModel,
            String spec,
            String gpuPool,
            Long gpuMemoryBytes,
            String statusMessage,
            long now);

    @SqlQuery("SELECT " + COLUMNS + " FROM deployments WHERE name = :name")
    Optional<DeploymentRow> find(String name);

    @SqlQuery("SELECT " + COLUMNS + " FROM deployments WHERE name = :name FOR UPDATE")
    Optional<DeploymentRow> lock(String name);

    @SqlQuery("SELECT " + COLUMNS + " FROM deployments ORDER BY name")
    List<DeploymentRow> all();

    @SqlQuery("SELECT " + COLUMNS + " FROM deployments WHERE registered_model = :model ORDER BY name")
    List<DeploymentRow> ofModel(String model);

    @SqlQuery("SELECT " + COLUMNS + " FROM deployments WHERE gpu_pool = :pool ORDER BY name")
    List<DeploymentRow> inPool(String pool);

    @SqlUpdate("""
            UPDATE deployments SET registered_model = :registeredModel, spec = :spec, gpu_pool = :gpuPool,
                gpu_memory_bytes = :gpuMemoryBytes, last_updated_time = :now
            WHERE name = :name
            """)
    int update(String name, String registeredModel, String spec, String gpuPool, Long gpuMemoryBytes, long now);

    @SqlUpdate("""
            UPDATE deployments SET status = :status, status_message = :message, last_updated_time = :now
            WHERE name = :name
            """)
    int setStatus(String name, String status, String message, long now);

    @SqlUpdate("""
            UPDATE deployments SET status = 'READY', status_message = :message, current_version = :version,
                last_commit = :commitSha, replica_bytes = :replicaBytes, last_updated_time = :now
            WHERE name = :name
            """)
    int deployed(String name, String message, long version, String commitSha, Long replicaBytes, long now);

    @SqlUpdate("DELETE FROM deployments WHERE name = :name")
    int delete(String name);

    // ---- revisions

    @SqlUpdate("""
            INSERT INTO deployment_revisions (deployment, version, commit_sha, actor, event_seq, created_time)
            VALUES (:deployment, :version, :commitSha, :actor, :eventSeq, :now)
            """)
    void insertRevision(String deployment, long version, String commitSha, String actor, long eventSeq, long now);

    @SqlQuery("""
            SELECT revision_id, deployment, version, commit_sha, actor, event_seq, created_time
            FROM deployment_revisions WHERE deployment = :deployment ORDER BY revision_id DESC LIMIT :limit
            """)
    List<RevisionRow> revisions(String deployment, int limit);

    // ---- GPU pools

    @SqlUpdate("""
            INSERT INTO gpu_pools (name, nodes, gpus_per_node, memory_per_gpu, exporters, creation_time,
                last_updated_time)
            VALUES (:name, :nodes, :gpusPerNode, :memoryPerGpu, :exporters, :now, :now)
            """)
    void insertPool(String name, int nodes, int gpusPerNode, long memoryPerGpu, String exporters, long now);

    @SqlUpdate("""
            UPDATE gpu_pools SET nodes = :nodes, gpus_per_node = :gpusPerNode, memory_per_gpu = :memoryPerGpu,
                exporters = :exporters, last_updated_time = :now
            WHERE name = :name
            """)
    int updatePool(String name, int nodes, int gpusPerNode, long memoryPerGpu, String exporters, long now);

    @SqlQuery("SELECT name, nodes, gpus_per_node, memory_per_gpu, exporters FROM gpu_pools WHERE name = :name")
    Optional<PoolRow> findPool(String name);

    @SqlQuery("SELECT name, nodes, gpus_per_node, memory_per_gpu, exporters FROM gpu_pools ORDER BY name")
    List<PoolRow> pools();

    @SqlUpdate("DELETE FROM gpu_pools WHERE name = :name")
    int deletePool(String name);

    // ---- the deployer's cursor

    @SqlQuery("SELECT last_seq, lease_owner, lease_until FROM deployer_cursor WHERE id = 1")
    CursorRow cursor();

    @SqlQuery("SELECT last_seq, lease_owner, lease_until FROM deployer_cursor WHERE id = 1 FOR UPDATE")
    CursorRow lockCursor();

    @SqlQuery("SELECT last_seq, lease_owner, lease_until FROM deployer_cursor WHERE id = 1 FOR UPDATE SKIP LOCKED")
    Optional<CursorRow> lockCursorUnlessLocked();

    @SqlUpdate("UPDATE deployer_cursor SET lease_owner = :owner, lease_until = :until WHERE id = 1")
    void lease(String owner, long until);

    /** Advances the cursor and renews the lease, only while {@code owner} holds it. */
    @SqlUpdate("""
            UPDATE deployer_cursor SET last_seq = :seq, lease_until = :until
            WHERE id = 1 AND lease_owner = :owner AND last_seq < :seq
            """)
    int advance(String owner, long seq, long until);

    @SqlUpdate(
            "UPDATE deployer_cursor SET lease_owner = NULL, lease_until = NULL WHERE id = 1 AND lease_owner = :owner")
    void release(String owner);
}
