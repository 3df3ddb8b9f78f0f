package io.axle.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Recently verified (user name, password) pairs. MLflow clients send Basic credentials on every request and bcrypt
 * costs tens of milliseconds by design, so a verification is remembered for a few minutes, keyed by the SHA-256 of
 * an HMAC of the password under a key made for this process, never the password itself. Dropped for a user whose password, admin flag or existence changes here;
 * a change made through another replica takes effect here when the entry runs out.
 */
final class VerifiedPasswords {
    static final Duration LIFETIME = Duration.ofMinutes(5);
    private static final int MAX_ENTRIES = 10_000;

    private record Key(String username, String passwordDigest) {}

    private record Entry(Principal principal, long expiresAt) {}

    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
    private final InstantSource clock;
    private final SecretKeySpec key;

    VerifiedPasswords(InstantSource clock, SecureRandom random) {
        this.clock = clock;
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        this.key = new SecretKeySpec(bytes, "HmacSHA256");
    }

    // a keyed digest: a memory dump of the cache gives no hashes to guess passwords against offline
    private String digest(String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JVM has HmacSHA256", e);
        }
    }

    Optional<Principal> find(String username, String password) {
        Key key = new Key(username, digest(password));
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
                new Key(principal.username(), digest(password)),
                new Entry(principal, clock.millis() + LIFETIME.toMillis()));
    }

    void forget(String username) {
        entries.keySet().removeIf(key -> key.username().equals(username));
    }

    int size() {
        return entries.size();
    }
}
