package io.axle.server.webhooks;

/** Where one event's delivery to one subscription stands. */
public enum DeliveryStatus {
    /** Waiting for its next attempt. */
    PENDING,
    /** Claimed by a dispatcher, which is sending it now. */
    SENDING,
    /** An attempt got a 2xx answer. */
    DELIVERED,
    /** Given up: out of attempts, 410 Gone, or its subscription disabled. */
    FAILED
}
