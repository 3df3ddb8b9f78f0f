package io.axle.server.auth;

import static java.util.Objects.requireNonNull;

/** A permission granted on one experiment to one user, as MLflow's auth API writes it. */
public record ExperimentPermission(String experimentId, long userId, Permission permission) {
    public ExperimentPermission {
        requireNonNull(experimentId, "experimentId is null");
        requireNonNull(permission, "permission is null");
    }
}
