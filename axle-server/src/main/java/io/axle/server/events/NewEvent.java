package io.axle.server.events;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/** A change to record: what happened, to which model (and version, alias or stage), by whom, with details. */
public record NewEvent(
        EventType type,
        String modelName,
        Optional<Long> version,
        Optional<String> alias,
        Optional<String> stage,
        String actor,
        Map<String, Object> payload) {
    public NewEvent {
        requireNonNull(type, "type is null");
        requireNonNull(modelName, "modelName is null");
        requireNonNull(version, "version is null");
        requireNonNull(alias, "alias is null");
        requireNonNull(stage, "stage is null");
        requireNonNull(actor, "actor is null");
        payload = Map.copyOf(payload);
    }

    public static NewEvent of(EventType type, String modelName, String actor, Map<String, Object> payload) {
        return new NewEvent(type, modelName, Optional.empty(), Optional.empty(), Optional.empty(), actor, payload);
    }

    public NewEvent withVersion(long newVersion) {
        return new NewEvent(type, modelName, Optional.of(newVersion), alias, stage, actor, payload);
    }

    public NewEvent withAlias(String newAlias) {
        return new NewEvent(type, modelName, version, Optional.of(newAlias), stage, actor, payload);
    }

    public NewEvent withStage(String newStage) {
        return new NewEvent(type, modelName, version, alias, Optional.of(newStage), actor, payload);
    }
}
