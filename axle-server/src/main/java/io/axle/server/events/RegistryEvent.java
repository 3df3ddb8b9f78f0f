package io.axle.server.events;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** A recorded registry change, numbered by {@code seq} without gaps in commit order. */
public record RegistryEvent(
        long seq,
        EventType type,
        String modelName,
        Optional<String> version,
        Optional<String> alias,
        Optional<String> stage,
        String actor,
        long timestamp,
        JsonNode payload) {
    public RegistryEvent {
        requireNonNull(type, "type is null");
        requireNonNull(modelName, "modelName is null");
        requireNonNull(version, "version is null");
        requireNonNull(alias, "alias is null");
        requireNonNull(stage, "stage is null");
        requireNonNull(actor, "actor is null");
        requireNonNull(payload, "payload is null");
    }
}
