package io.axle.server.webhooks;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.server.events.EventType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * An MLflow 3 webhook event, {@code entity.action}, and the registry events it stands for. MLflow has no events for
 * renames, stages or deletions of models; those reach only subscriptions made through Axle's own API.
 */
record MlflowEvent(String entity, String action) {
    static final List<MlflowEvent> ALL = List.of(
            new MlflowEvent("registered_model", "created"),
            new MlflowEvent("model_version", "created"),
            new MlflowEvent("model_version_tag", "set"),
            new MlflowEvent("model_version_tag", "deleted"),
            new MlflowEvent("model_version_alias", "created"),
            new MlflowEvent("model_version_alias", "deleted"));

    MlflowEvent {
        requireNonNull(entity, "entity is null");
        requireNonNull(action, "action is null");
    }

    /** Reads an entity and an action as MLflow's clients send them: lower case, or the proto enums' upper case. */
    static MlflowEvent parse(String entity, String action) {
        MlflowEvent event = new MlflowEvent(entity.toLowerCase(Locale.ROOT), action.toLowerCase(Locale.ROOT));
        if (!ALL.contains(event)) {
            throw AxleException.invalidParameter("Unsupported webhook event '" + event.entity() + "." + event.action()
                    + "'. Supported: "
                    + String.join(", ", ALL.stream().map(MlflowEvent::name).toList()) + ".");
        }
        return event;
    }

    String name() {
        return entity + "." + action;
    }

    /** The registry events this MLflow event stands for. */
    Set<EventType> eventTypes() {
        return switch (name()) {
            case "registered_model.created" -> Set.of(EventType.MODEL_CREATED);
            case "model_version.created" -> Set.of(EventType.VERSION_CREATED);
            case "model_version_tag.set" -> Set.of(EventType.VERSION_TAG_SET);
            case "model_version_tag.deleted" -> Set.of(EventType.VERSION_TAG_DELETED);
            // MLflow's set_registered_model_alias reports "created" whether the alias is new or moved
            case "model_version_alias.created" -> Set.of(EventType.ALIAS_SET, EventType.ALIAS_MOVED);
            case "model_version_alias.deleted" -> Set.of(EventType.ALIAS_DELETED);
            default -> throw new IllegalStateException("No registry events for " + name());
        };
    }

    /** The MLflow event a registry event is delivered as, if MLflow has one. */
    static Optional<MlflowEvent> of(EventType type) {
        return ALL.stream().filter(event -> event.eventTypes().contains(type)).findFirst();
    }

    /** The MLflow events that cover {@code types}, for showing a subscription in MLflow's shape. */
    static List<MlflowEvent> covering(Set<EventType> types) {
        List<MlflowEvent> result = new ArrayList<>();
        for (MlflowEvent event : ALL) {
            if (types.containsAll(event.eventTypes())) {
                result.add(event);
            }
        }
        return result;
    }

    static Set<EventType> eventTypes(List<MlflowEvent> events) {
        Set<EventType> types = new TreeSet<>();
        events.forEach(event -> types.addAll(event.eventTypes()));
        return types;
    }
}
