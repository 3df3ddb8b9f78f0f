package io.axle.server.webhooks;

import static java.util.Objects.requireNonNull;

import io.axle.server.events.EventType;
import java.util.List;

/** A webhook subscription as the API shows it; its secret is never shown, only whether it has one. */
public record Subscription(
        String id,
        String name,
        String description,
        String url,
        List<EventType> eventTypes,
        WebhookStatus status,
        Flavor flavor,
        boolean hasSecret,
        long creationTimestamp,
        long lastUpdatedTimestamp) {
    public Subscription {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(url, "url is null");
        eventTypes = List.copyOf(eventTypes);
        requireNonNull(status, "status is null");
        requireNonNull(flavor, "flavor is null");
    }
}
