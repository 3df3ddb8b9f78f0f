package io.axle.server.deploy.gitops;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;

/**
 * A user name and password (or access token) to reach a GitOps repository over HTTPS or SSH. Held only in memory for
 * one publish; {@link #toString()} never shows the password.
 */
public record GitCredentials(String username, String password) {
    public GitCredentials {
        requireNonNull(username, "username is null");
        requireNonNull(password, "password is null");
        if (username.isEmpty() || password.isEmpty()) {
            throw AxleException.invalidParameter("Git credentials need a non-empty user name and password or token");
        }
    }

    @Override
    public String toString() {
        return "GitCredentials[username=" + username + ", password=***]";
    }
}
