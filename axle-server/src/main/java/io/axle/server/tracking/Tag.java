package io.axle.server.tracking;

import static java.util.Objects.requireNonNull;

/** A key and a value: an experiment tag, a run tag, or a dataset input's tag. */
public record Tag(String key, String value) {
    public Tag {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
    }
}
