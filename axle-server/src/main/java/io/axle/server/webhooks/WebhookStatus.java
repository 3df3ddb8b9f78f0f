package io.axle.server.webhooks;

/** Whether a subscription receives events; a 410 Gone from its endpoint disables it. */
public enum WebhookStatus {
    ACTIVE,
    DISABLED
}
