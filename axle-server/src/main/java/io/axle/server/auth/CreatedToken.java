package io.axle.server.auth;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/** A new token with its secret, which is not stored and cannot be shown again. */
public record CreatedToken(String id, String secret, Optional<Instant> expires) {
    public CreatedToken {
        requireNonNull(id, "id is null");
        requireNonNull(secret, "secret is null");
        requireNonNull(expires, "expires is null");
    }

    @Override
    public String toString() {
        return "CreatedToken[id=" + id + ", secret=***, expires=" + expires + "]";
    }
}
