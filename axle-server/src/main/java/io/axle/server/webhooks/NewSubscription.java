package io.axle.server.webhooks;

import static java.util.Objects.requireNonNull;

import io.axle.server.events.EventType;
import java.util.Optional;
import java.util.Set;

/** A subscription to create; without a secret, Axle's API generates one and MLflow's sends unsigned, as MLflow does. */
public record NewSubscription(
        String name,
        String description,
        String url,
        Set<EventType> eventTypes,
        Optional<String> secret,
        WebhookStatus status,
        Flavor flavor) {
    public NewSubscription {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(url, "url is null");
        eventTypes = Set.copyOf(eventTypes);
        requireNonNull(secret, "secret is null");
        requireNonNull(status, "status is null");
        requireNonNull(flavor, "flavor is null");
    }

    @Override
    public String toString() {
        return "NewSubscription[name=" + name + ", url=" + url + ", eventTypes=" + eventTypes + ", flavor=" + flavor
                + "]";
    }
}
