package io.axle.server.webhooks;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How webhooks are delivered.
 *
 * @param allowPrivate hosts, addresses and CIDR blocks that endpoints may resolve to although they are loopback,
 *     link-local or private (all such addresses are refused otherwise)
 * @param maxAttempts attempts per delivery before it is given up
 * @param attemptTimeout the limit on one attempt, from connecting to the end of the answer
 * @param initialBackoff the wait after the first failed attempt; each further wait is three times the last
 * @param maxBackoff the longest wait between attempts, also the most a Retry-After is honoured for
 * @param pollInterval how often a dispatcher looks for new events and due deliveries
 * @param keyFile where the key that encrypts webhook secrets is kept when AXLE_SECRET_KEY is not set
 */
public record WebhookConfig(
        List<String> allowPrivate,
        int maxAttempts,
        Duration attemptTimeout,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration pollInterval,
        Path keyFile) {
    public static final String KEY_FILE_NAME = "webhook-secret.key";

    public WebhookConfig {
        allowPrivate = List.copyOf(allowPrivate);
        requireNonNull(attemptTimeout, "attemptTimeout is null");
        requireNonNull(initialBackoff, "initialBackoff is null");
        requireNonNull(maxBackoff, "maxBackoff is null");
        requireNonNull(pollInterval, "pollInterval is null");
        requireNonNull(keyFile, "keyFile is null");
        if (maxAttempts < 1) {
            throw AxleException.invalidParameter(
                    "Webhook attempts must be at least 1, not " + maxAttempts + " (--webhook-max-attempts).");
        }
        if (attemptTimeout.isNegative() || attemptTimeout.isZero()) {
            throw AxleException.invalidParameter("The webhook attempt timeout must be positive, not " + attemptTimeout);
        }
        AddressGuard.parse(allowPrivate);
    }

    /**
     * Eight attempts over up to 18 hours (waits of up to 1, 3, 9, 27, 81, 243 and 729 minutes, the lower half of
     * each fixed and the upper half random), ten
     * seconds each, no private addresses, the key beside the data in {@code dataDirectory}.
     */
    public static WebhookConfig defaults(Path dataDirectory) {
        return new WebhookConfig(
                List.of(),
                8,
                Duration.ofSeconds(10),
                Duration.ofMinutes(1),
                Duration.ofHours(13),
                Duration.ofSeconds(1),
                dataDirectory.resolve(KEY_FILE_NAME));
    }

    public WebhookConfig withAllowPrivate(List<String> hosts) {
        return new WebhookConfig(hosts, maxAttempts, attemptTimeout, initialBackoff, maxBackoff, pollInterval, keyFile);
    }

    public WebhookConfig withMaxAttempts(int attempts) {
        return new WebhookConfig(
                allowPrivate, attempts, attemptTimeout, initialBackoff, maxBackoff, pollInterval, keyFile);
    }

    public WebhookConfig withTiming(Duration timeout, Duration firstBackoff, Duration longestBackoff, Duration poll) {
        return new WebhookConfig(allowPrivate, maxAttempts, timeout, firstBackoff, longestBackoff, poll, keyFile);
    }

    /** How long a claimed delivery stays with its dispatcher before another may take it (a crashed sender). */
    Duration lease() {
        return attemptTimeout.multipliedBy(2).plusSeconds(1);
    }
}
