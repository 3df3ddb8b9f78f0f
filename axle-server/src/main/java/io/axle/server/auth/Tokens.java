package io.axle.server.auth;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.server.db.Database;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * API tokens: {@code axle_} and 32 random bytes in base64url, sent as {@code Authorization: Bearer}. Only the SHA-256
 * of a secret is stored; a token expires (90 days unless chosen otherwise) and can be revoked.
 */
public final class Tokens {
    public static final String PREFIX = "axle_";
    public static final Duration DEFAULT_LIFETIME = Duration.ofDays(90);
    static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);
    private static final int SECRET_BYTES = 32;
    private static final int MAX_NAME = 256;

    private final Database database;
    private final InstantSource clock;
    private final SecureRandom random;

    Tokens(Database database, InstantSource clock, SecureRandom random) {
        this.database = requireNonNull(database, "database is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
    }

    /** A token for {@code username} that expires after {@code lifetime}, or never when it is empty. */
    public CreatedToken create(String username, String name, Optional<Duration> lifetime) {
        requireNonNull(username, "username is null");
        requireNonNull(name, "name is null");
        requireNonNull(lifetime, "lifetime is null");
        if (name.isBlank() || name.length() > MAX_NAME) {
            throw AxleException.invalidParameter("Invalid token name: use 1 to " + MAX_NAME + " characters.");
        }
        lifetime.filter(duration -> duration.isNegative() || duration.isZero()).ifPresent(duration -> {
            throw AxleException.invalidParameter("A token's lifetime must be positive, not " + duration);
        });
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        byte[] idBytes = new byte[6];
        random.nextBytes(idBytes);
        String id = HexFormat.of().formatHex(idBytes);
        long now = clock.millis();
        Optional<Instant> expires =
                lifetime.map(duration -> Instant.ofEpochMilli(now).plus(duration));
        int inserted = database.inTransaction(handle -> handle.attach(TokenDao.class)
                .insert(
                        id,
                        username,
                        name,
                        Digests.sha256(secret),
                        now,
                        expires.map(Instant::toEpochMilli).orElse(null)));
        if (inserted == 0) {
            throw Users.notFound(username);
        }
        return new CreatedToken(id, secret, expires);
    }

    public Token get(String id) {
        return database.withHandle(handle -> handle.attach(TokenDao.class).find(id))
                .map(Tokens::token)
                .orElseThrow(() -> AxleException.notFound("Token '" + id + "' does not exist."));
    }

    /** {@code username}'s tokens, revoked and expired ones included, oldest first. */
    public List<Token> list(String username) {
        return database.withHandle(handle -> handle.attach(TokenDao.class).listFor(username)).stream()
                .map(Tokens::token)
                .toList();
    }

    /** Every user's tokens, for an admin. */
    public List<Token> listAll() {
        return database.withHandle(handle -> handle.attach(TokenDao.class).listAll()).stream()
                .map(Tokens::token)
                .toList();
    }

    /** Revokes a token for good; revoking it again changes nothing. */
    public Token revoke(String id) {
        Token token = get(id);
        database.inTransaction(handle -> handle.attach(TokenDao.class).revoke(id, clock.millis()));
        return get(token.id());
    }

    /** The user a bearer secret signs in as, if it is a live token's. */
    public Optional<Principal> authenticate(String secret) {
        requireNonNull(secret, "secret is null");
        if (!secret.startsWith(PREFIX)) {
            return Optional.empty();
        }
        Optional<TokenDao.TokenRow> row =
                database.withHandle(handle -> handle.attach(TokenDao.class).findBySecret(Digests.sha256(secret)));
        long now = clock.millis();
        if (row.isEmpty() || !token(row.get()).activeAt(now)) {
            return Optional.empty();
        }
        Long lastUsed = row.get().lastUsedTime();
        if (lastUsed == null || lastUsed <= now - LAST_USED_RESOLUTION.toMillis()) {
            database.inTransaction(handle -> handle.attach(TokenDao.class)
                    .touch(row.get().tokenId(), now, now - LAST_USED_RESOLUTION.toMillis()));
        }
        return Optional.of(new Principal(row.get().username(), row.get().isAdmin()));
    }

    private static Token token(TokenDao.TokenRow row) {
        return new Token(
                row.tokenId(),
                row.username(),
                row.name(),
                row.creationTime(),
                Optional.ofNullable(row.expiresTime()),
                Optional.ofNullable(row.revokedTime()),
                Optional.ofNullable(row.lastUsedTime()));
    }
}
