package io.axle.server.auth;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recently verified (user name, password) pairs. MLflow clients send Basic credentials on every request and bcrypt
 * costs tens of milliseconds by design, so a verification is remembered for a few minutes, keyed by the SHA-256 of
 * the password, never the password itself. Dropped for a user whose password, admin flag or existence changes here;
 * a change made through another replica takes effect here when the entry runs out.
 */
final class VerifiedPasswords {
    static final Duration LIFETIME = Duration.ofMinutes(5);
    private static final int MAX_ENTRIES = 10_000;

    private record Key(String username, String passwordDigest) {}

    private record Entry(Principal principal, long expiresAt) {}

    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
    private final InstantSource clock;

    VerifiedPasswords(InstantSource clock) {
        this.clock = clock;
    }

    Optional<Principal> find(String username, String password) {
        Key key = new Key(username, Digests.sha256(password));
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.expiresAt() <= clock.millis()) {
            entries.remove(key, entry);
            return Optional.empty();
        }
        return Optional.of(entry.principal());
    }

    void remember(String password, Principal principal) {
        if (entries.size() >= MAX_ENTRIES) {
            // a crude bound against a flood of distinct good credentials; the cost is re-verification
            entries.clear();
        }
        entries.put(
                new Key(principal.username(), Digests.sha256(password)),
                new Entry(principal, clock.millis() + LIFETIME.toMillis()));
    }

    void forget(String username) {
        entries.keySet().removeIf(key -> key.username().equals(username));
    }

    int size() {
        return entries.size();
    }
}
