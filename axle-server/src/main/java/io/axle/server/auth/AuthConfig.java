package io.axle.server.auth;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import java.util.Optional;

/**
 * Whether the server asks for credentials, who the first admin is, and what users may do with a resource that
 * grants them nothing explicitly.
 *
 * @param initialAdminUsername with {@code initialAdminPassword}, the admin created when the server starts with no user
 */
public record AuthConfig(
        boolean enabled,
        Optional<String> initialAdminUsername,
        Optional<String> initialAdminPassword,
        Permission defaultPermission) {
    public AuthConfig {
        requireNonNull(initialAdminUsername, "initialAdminUsername is null");
        requireNonNull(initialAdminPassword, "initialAdminPassword is null");
        requireNonNull(defaultPermission, "defaultPermission is null");
        if (initialAdminUsername.isPresent() != initialAdminPassword.isPresent()) {
            throw AxleException.invalidParameter(
                    initialAdminUsername.isPresent()
                            ? "An initial admin user name was given without a password: set AXLE_ADMIN_PASSWORD."
                            : "AXLE_ADMIN_PASSWORD was given without a user name: set --admin-username or AXLE_ADMIN_USERNAME.");
        }
    }

    /** No authentication: every request acts as {@code anonymous}, as before auth existed. */
    public static AuthConfig disabled() {
        return new AuthConfig(false, Optional.empty(), Optional.empty(), Permission.READ);
    }

    /** Authentication on, with a first admin to create if the server has no user yet. */
    public static AuthConfig enabled(String adminUsername, String adminPassword) {
        return new AuthConfig(true, Optional.of(adminUsername), Optional.of(adminPassword), Permission.READ);
    }

    public AuthConfig withDefaultPermission(Permission permission) {
        return new AuthConfig(enabled, initialAdminUsername, initialAdminPassword, permission);
    }

    // the password must never reach a log line through this record
    @Override
    public String toString() {
        return "AuthConfig[enabled=" + enabled + ", initialAdminUsername=" + initialAdminUsername
                + ", initialAdminPassword=" + initialAdminPassword.map(password -> "***") + ", defaultPermission="
                + defaultPermission + "]";
    }
}
