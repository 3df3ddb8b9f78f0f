package io.axle.server.auth;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** An API token as it is listed: never its secret, which only its creator saw, once. */
public record Token(
        String id,
        String username,
        String name,
        long creationTime,
        Optional<Long> expiresTime,
        Optional<Long> revokedTime,
        Optional<Long> lastUsedTime) {
    public Token {
        requireNonNull(id, "id is null");
        requireNonNull(username, "username is null");
        requireNonNull(name, "name is null");
        requireNonNull(expiresTime, "expiresTime is null");
        requireNonNull(revokedTime, "revokedTime is null");
        requireNonNull(lastUsedTime, "lastUsedTime is null");
    }

    public boolean activeAt(long now) {
        return revokedTime.isEmpty()
                && expiresTime.map(expires -> expires > now).orElse(true);
    }
}
