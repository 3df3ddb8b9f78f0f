package io.axle.server.search;

import java.util.Locale;
import java.util.Optional;

/** The entity types MLflow's identifiers name, with the aliases MLflow accepts for each (in any case). */
public enum EntityType {
    ATTRIBUTE("attribute", "attributes", "attr", "run"),
    METRIC("metric", "metrics"),
    PARAM("param", "params", "parameter", "parameters"),
    TAG("tag", "tags"),
    DATASET("dataset", "datasets");

    private final String[] names;

    EntityType(String... names) {
        this.names = names;
    }

    /** The entity an identifier names: a bare key is an attribute; an unknown name is empty. */
    public static Optional<EntityType> of(Identifier identifier) {
        if (identifier.entity().isEmpty()) {
            return Optional.of(ATTRIBUTE);
        }
        String name = identifier.entity().get().toLowerCase(Locale.ROOT);
        for (EntityType type : values()) {
            for (String alias : type.names) {
                if (alias.equals(name)) {
                    return Optional.of(type);
                }
            }
        }
        return Optional.empty();
    }
}
