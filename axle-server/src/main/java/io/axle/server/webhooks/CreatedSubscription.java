package io.axle.server.webhooks;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** A subscription just made, with the secret Axle generated for it: the one time that secret is shown. */
public record CreatedSubscription(Subscription subscription, Optional<String> generatedSecret) {
    public CreatedSubscription {
        requireNonNull(subscription, "subscription is null");
        requireNonNull(generatedSecret, "generatedSecret is null");
    }

    @Override
    public String toString() {
        return "CreatedSubscription[" + subscription + "]";
    }
}
