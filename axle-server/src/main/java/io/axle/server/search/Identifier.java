package io.axle.server.search;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The left-hand side of a comparison or an order_by clause: {@code <entity>.<key>}, or a bare key, which MLflow
 * reads as an attribute. Backticks and quotes are already removed; a key may contain dots
 * ({@code tags.mlflow.runName} has entity {@code tags} and key {@code mlflow.runName}).
 */
public record Identifier(Optional<String> entity, String key, int position) {
    public Identifier {
        requireNonNull(entity, "entity is null");
        requireNonNull(key, "key is null");
    }

    /** The identifier as a user would write it, for messages. */
    public String describe() {
        return entity.map(name -> name + "." + key).orElse(key);
    }
}
