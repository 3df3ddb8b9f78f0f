package io.axle.server.auth;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.server.db.Database;
import java.util.List;
import java.util.Optional;

/**
 * Who may do what with an experiment or a registered model: an admin may do everything; otherwise a user's explicit
 * permission on the resource decides, and without one the server's default does (READ, as in MLflow).
 */
public final class Permissions {
    private final Database database;
    private final Permission defaultPermission;

    Permissions(Database database, Permission defaultPermission) {
        this.database = requireNonNull(database, "database is null");
        this.defaultPermission = requireNonNull(defaultPermission, "defaultPermission is null");
    }

    public Permission defaultPermission() {
        return defaultPermission;
    }

    /** What {@code principal} may do with the experiment. */
    public Permission experiment(Principal principal, String experimentId) {
        if (principal.admin()) {
            return Permission.MANAGE;
        }
        return findExperiment(experimentId, principal.username())
                .map(ExperimentPermission::permission)
                .orElse(defaultPermission);
    }

    /** What {@code principal} may do with the registered model. */
    public Permission model(Principal principal, String modelName) {
        if (principal.admin()) {
            return Permission.MANAGE;
        }
        return findModel(modelName, principal.username())
                .map(RegisteredModelPermission::permission)
                .orElse(defaultPermission);
    }

    // ---- experiment permissions

    public ExperimentPermission createExperiment(String experimentId, String username, Permission permission) {
        long id = experimentKey(experimentId);
        database.useTransaction(handle -> {
            PermissionDao dao = handle.attach(PermissionDao.class);
            if (dao.experimentExists(id) == 0) {
                throw experimentNotFound(experimentId);
            }
            if (dao.findExperiment(id, username).isPresent()) {
                throw AxleException.alreadyExists("User '" + username + "' already has a permission on experiment "
                        + experimentId + "; update it instead.");
            }
            if (dao.insertExperiment(id, username, permission.name()) == 0) {
                throw Users.notFound(username);
            }
        });
        return getExperiment(experimentId, username);
    }

    public ExperimentPermission getExperiment(String experimentId, String username) {
        return findExperiment(experimentId, username).orElseThrow(() -> noExperimentPermission(experimentId, username));
    }

    public Optional<ExperimentPermission> findExperiment(String experimentId, String username) {
        Optional<Long> id = parseExperimentId(experimentId);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        return database.withHandle(handle -> handle.attach(PermissionDao.class).findExperiment(id.get(), username))
                .map(Permissions::experimentPermission);
    }

    /** The experiment permissions granted to {@code username}. */
    public List<ExperimentPermission> experimentsOf(String username) {
        return database.withHandle(handle -> handle.attach(PermissionDao.class).experimentsOf(username)).stream()
                .map(Permissions::experimentPermission)
                .toList();
    }

    public ExperimentPermission updateExperiment(String experimentId, String username, Permission permission) {
        long id = experimentKey(experimentId);
        int updated = database.inTransaction(
                handle -> handle.attach(PermissionDao.class).updateExperiment(id, username, permission.name()));
        if (updated == 0) {
            throw noExperimentPermission(experimentId, username);
        }
        return getExperiment(experimentId, username);
    }

    public void deleteExperiment(String experimentId, String username) {
        long id = experimentKey(experimentId);
        int deleted = database.inTransaction(
                handle -> handle.attach(PermissionDao.class).deleteExperiment(id, username));
        if (deleted == 0) {
            throw noExperimentPermission(experimentId, username);
        }
    }

    // ---- registered-model permissions

    public RegisteredModelPermission createModel(String name, String username, Permission permission) {
        requireNonNull(name, "name is null");
        database.useTransaction(handle -> {
            PermissionDao dao = handle.attach(PermissionDao.class);
            if (dao.modelExists(name) == 0) {
                throw AxleException.notFound("Registered model '" + name + "' does not exist.");
            }
            if (dao.findModel(name, username).isPresent()) {
                throw AxleException.alreadyExists("User '" + username + "' already has a permission on registered "
                        + "model '" + name + "'; update it instead.");
            }
            if (dao.insertModel(name, username, permission.name()) == 0) {
                throw Users.notFound(username);
            }
        });
        return getModel(name, username);
    }

    public RegisteredModelPermission getModel(String name, String username) {
        return findModel(name, username).orElseThrow(() -> noModelPermission(name, username));
    }

    public Optional<RegisteredModelPermission> findModel(String name, String username) {
        return database.withHandle(handle -> handle.attach(PermissionDao.class).findModel(name, username))
                .map(Permissions::modelPermission);
    }

    /** The registered-model permissions granted to {@code username}. */
    public List<RegisteredModelPermission> modelsOf(String username) {
        return database.withHandle(handle -> handle.attach(PermissionDao.class).modelsOf(username)).stream()
                .map(Permissions::modelPermission)
                .toList();
    }

    public RegisteredModelPermission updateModel(String name, String username, Permission permission) {
        int updated = database.inTransaction(
                handle -> handle.attach(PermissionDao.class).updateModel(name, username, permission.name()));
        if (updated == 0) {
            throw noModelPermission(name, username);
        }
        return getModel(name, username);
    }

    public void deleteModel(String name, String username) {
        int deleted = database.inTransaction(
                handle -> handle.attach(PermissionDao.class).deleteModel(name, username));
        if (deleted == 0) {
            throw noModelPermission(name, username);
        }
    }

    private static ExperimentPermission experimentPermission(PermissionDao.ExperimentRow row) {
        return new ExperimentPermission(
                Long.toString(row.experimentId()), row.userId(), Permission.valueOf(row.permission()));
    }

    private static RegisteredModelPermission modelPermission(PermissionDao.ModelRow row) {
        return new RegisteredModelPermission(row.name(), row.userId(), Permission.valueOf(row.permission()));
    }

    private static Optional<Long> parseExperimentId(String experimentId) {
        try {
            return Optional.of(Long.parseLong(experimentId));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static long experimentKey(String experimentId) {
        return parseExperimentId(requireNonNull(experimentId, "experimentId is null"))
                .orElseThrow(() -> AxleException.invalidParameter(
                        "Invalid experiment ID '" + experimentId + "': experiment IDs are numbers."));
    }

    private static AxleException experimentNotFound(String experimentId) {
        return AxleException.notFound("No experiment with ID " + experimentId + ".");
    }

    private static AxleException noExperimentPermission(String experimentId, String username) {
        return AxleException.notFound("User '" + username + "' has no permission on experiment " + experimentId
                + " (or one of them does " + "not exist).");
    }

    private static AxleException noModelPermission(String name, String username) {
        return AxleException.notFound("User '" + username + "' has no permission on registered model '" + name
                + "' (or one of them does not exist).");
    }
}
