package io.axle.server.auth;

import static java.util.Objects.requireNonNull;

/** The authenticated user a request acts as. */
public record Principal(String username, boolean admin) {
    public Principal {
        requireNonNull(username, "username is null");
    }
}
