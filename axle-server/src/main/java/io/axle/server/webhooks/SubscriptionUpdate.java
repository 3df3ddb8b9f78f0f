package io.axle.server.webhooks;

import static java.util.Objects.requireNonNull;

import io.axle.server.events.EventType;
import java.util.Optional;
import java.util.Set;

/** The fields of a subscription to change; an empty one stays as it is. */
public record SubscriptionUpdate(
        Optional<String> name,
        Optional<String> description,
        Optional<String> url,
        Optional<Set<EventType>> eventTypes,
        Optional<String> secret,
        Optional<WebhookStatus> status) {
    public SubscriptionUpdate {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(url, "url is null");
        eventTypes = eventTypes.map(Set::copyOf);
        requireNonNull(secret, "secret is null");
        requireNonNull(status, "status is null");
    }

    @Override
    public String toString() {
        return "SubscriptionUpdate[name=" + name + ", url=" + url + ", eventTypes=" + eventTypes + ", status=" + status
                + ", secret=" + (secret.isPresent() ? "***" : "unchanged") + "]";
    }
}
