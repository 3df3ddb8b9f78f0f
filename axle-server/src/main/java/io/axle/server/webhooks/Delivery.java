package io.axle.server.webhooks;

import static java.util.Objects.requireNonNull;

import io.axle.server.events.EventType;
import java.util.List;
import java.util.Optional;

/**
 * One event's delivery to one subscription: its Standard Webhooks message id (the same on every attempt), where it
 * stands, what its last attempt got, and the log of all its attempts.
 */
public record Delivery(
        long id,
        String subscriptionId,
        long eventSeq,
        EventType eventType,
        String webhookId,
        DeliveryStatus status,
        int attempts,
        long nextAttemptTimestamp,
        Optional<Integer> httpStatus,
        Optional<Long> latencyMillis,
        Optional<String> responseSnippet,
        Optional<String> error,
        long creationTimestamp,
        long lastUpdatedTimestamp,
        List<Attempt> attemptLog) {
    public Delivery {
        requireNonNull(subscriptionId, "subscriptionId is null");
        requireNonNull(eventType, "eventType is null");
        requireNonNull(webhookId, "webhookId is null");
        requireNonNull(status, "status is null");
        requireNonNull(httpStatus, "httpStatus is null");
        requireNonNull(latencyMillis, "latencyMillis is null");
        requireNonNull(responseSnippet, "responseSnippet is null");
        requireNonNull(error, "error is null");
        attemptLog = List.copyOf(attemptLog);
    }

    /** One attempt: when, what status (or error), how long, and the start of the answer. */
    public record Attempt(
            int attempt,
            long startedTimestamp,
            Optional<Integer> httpStatus,
            long latencyMillis,
            Optional<String> responseSnippet,
            Optional<String> error) {
        public Attempt {
            requireNonNull(httpStatus, "httpStatus is null");
            requireNonNull(responseSnippet, "responseSnippet is null");
            requireNonNull(error, "error is null");
        }
    }
}
