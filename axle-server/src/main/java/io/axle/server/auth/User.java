package io.axle.server.auth;

import static java.util.Objects.requireNonNull;

/** A user that can sign in; {@code id} is the number MLflow's auth API reports as {@code user_id}. */
public record User(long id, String username, boolean admin, long creationTime, long lastUpdatedTime) {
    public User {
        requireNonNull(username, "username is null");
    }

    public Principal principal() {
        return new Principal(username, admin);
    }
}
