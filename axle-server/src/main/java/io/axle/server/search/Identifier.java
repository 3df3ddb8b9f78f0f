package io.axle.server.search;

import static java.util.Objects.requireNonNull;

/**
 * A searched field: an entity type ({@code metrics}, {@code params}, {@code tags}, {@code attributes},
 * {@code datasets}, with MLflow's aliases already resolved) and a key, with its position in the text.
 */
public record Identifier(String entity, String key, int position) {
    public static final String METRICS = "metrics";
    public static final String PARAMS = "params";
    public static final String TAGS = "tags";
    public static final String ATTRIBUTES = "attributes";
    public static final String DATASETS = "datasets";

    public Identifier {
        requireNonNull(entity, "entity is null");
        requireNonNull(key, "key is null");
    }
}
