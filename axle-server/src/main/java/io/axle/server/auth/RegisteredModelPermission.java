package io.axle.server.auth;

import static java.util.Objects.requireNonNull;

/** A permission granted on one registered model to one user, as MLflow's auth API writes it. */
public record RegisteredModelPermission(String name, long userId, Permission permission) {
    public RegisteredModelPermission {
        requireNonNull(name, "name is null");
        requireNonNull(permission, "permission is null");
    }
}
