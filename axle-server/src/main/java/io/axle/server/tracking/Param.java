package io.axle.server.tracking;

import static java.util.Objects.requireNonNull;

/** A run parameter: immutable once logged. */
public record Param(String key, String value) {
    public Param {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
    }
}
