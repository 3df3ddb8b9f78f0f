package io.axle.server.auth;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Permission rows; they reference experiments and registered models by key, so deletes cascade to them. */
@RegisterConstructorMapper(PermissionDao.ExperimentRow.class)
@RegisterConstructorMapper(PermissionDao.ModelRow.class)
interface PermissionDao {
    record ExperimentRow(long experimentId, long userId, String username, String permission) {}

    record ModelRow(String name, long userId, String username, String permission) {}

    // ---- experiments

    @SqlQuery("SELECT COUNT(*) FROM experiments WHERE experiment_id = :experimentId")
    int experimentExists(long experimentId);

    @SqlUpdate("""
            INSERT INTO experiment_permissions (experiment_id, user_id, permission)
            SELECT :experimentId, user_id, :permission FROM users WHERE username = :username
            """)
    int insertExperiment(long experimentId, String username, String permission);

    @SqlQuery("""
            SELECT p.experiment_id, p.user_id, u.username, p.permission
            FROM experiment_permissions p JOIN users u ON u.user_id = p.user_id
            WHERE p.experiment_id = :experimentId AND u.username = :username
            """)
    Optional<ExperimentRow> findExperiment(long experimentId, String username);

    @SqlQuery("""
            SELECT p.experiment_id, p.user_id, u.username, p.permission
            FROM experiment_permissions p JOIN users u ON u.user_id = p.user_id
            WHERE u.username = :username ORDER BY p.experiment_id
            """)
    List<ExperimentRow> experimentsOf(String username);

    @SqlUpdate("""
            UPDATE experiment_permissions SET permission = :permission
            WHERE experiment_id = :experimentId AND user_id = (SELECT user_id FROM users WHERE username = :username)
            """)
    int updateExperiment(long experimentId, String username, String permission);

    @SqlUpdate("""
            DELETE FROM experiment_permissions
            WHERE experiment_id = :experimentId AND user_id = (SELECT user_id FROM users WHERE username = :username)
            """)
    int deleteExperiment(long experimentId, String username);

    // ---- registered models, named in the API and keyed by model_id so that a rename keeps them

    @SqlQuery("SELECT COUNT(*) FROM registered_models WHERE name = :name")
    int modelExists(String name);

    @SqlUpdate("""
            INSERT INTO registered_model_permissions (model_id, user_id, permission)
            SELECT m.model_id, u.user_id, :permission FROM registered_models m, users u
            WHERE m.name = :name AND u.username = :username
            """)
    int insertModel(String name, String username, String permission);

    @SqlQuery("""
            SELECT m.name, p.user_id, u.username, p.permission
            FROM registered_model_permissions p
            JOIN users u ON u.user_id = p.user_id
            JOIN registered_models m ON m.model_id = p.model_id
            WHERE m.name = :name AND u.username = :username
            """)
    Optional<ModelRow> findModel(String name, String username);

    @SqlQuery("""
            SELECT m.name, p.user_id, u.username, p.permission
            FROM registered_model_permissions p
            JOIN users u ON u.user_id = p.user_id
            JOIN registered_models m ON m.model_id = p.model_id
            WHERE u.username = :username ORDER BY m.name
            """)
    List<ModelRow> modelsOf(String username);

    @SqlUpdate("""
            UPDATE registered_model_permissions SET permission = :permission
            WHERE model_id = (SELECT model_id FROM registered_models WHERE name = :name)
              AND user_id = (SELECT user_id FROM users WHERE username = :username)
            """)
    int updateModel(String name, String username, String permission);

    @SqlUpdate("""
            DELETE FROM registered_model_permissions
            WHERE model_id = (SELECT model_id FROM registered_models WHERE name = :name)
              AND user_id = (SELECT user_id FROM users WHERE username = :username)
            """)
    int deleteModel(String name, String username);
}
