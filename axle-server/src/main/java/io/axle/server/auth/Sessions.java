package io.axle.server.auth;

import static java.util.Objects.requireNonNull;

import io.axle.server.db.Database;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Optional;

/** Signed-in UI sessions: the cookie holds a random id; the database holds only its SHA-256. */
public final class Sessions {
    public static final String COOKIE = "axle_session";
    public static final Duration LIFETIME = Duration.ofHours(12);

    private final Database database;
    private final InstantSource clock;
    private final SecureRandom random;

    Sessions(Database database, InstantSource clock, SecureRandom random) {
        this.database = requireNonNull(database, "database is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
    }

    /** A new session for {@code username}; the value to set as the {@link #COOKIE} cookie. */
    public String create(String username) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String cookie = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        long now = clock.millis();
        int inserted = database.inTransaction(handle -> {
            SessionDao dao = handle.attach(SessionDao.class);
            dao.deleteExpired(now);
            return dao.insert(Digests.sha256(cookie), username, now, now + LIFETIME.toMillis());
        });
        if (inserted == 0) {
            throw Users.notFound(username);
        }
        return cookie;
    }

    public Optional<Principal> find(String cookie) {
        requireNonNull(cookie, "cookie is null");
        return database.withHandle(handle -> handle.attach(SessionDao.class).find(Digests.sha256(cookie)))
                .filter(row -> row.expiresTime() > clock.millis())
                .map(row -> new Principal(row.username(), row.isAdmin()));
    }

    /** Signs the session out; an unknown one is already out. */
    public void delete(String cookie) {
        database.inTransaction(handle -> handle.attach(SessionDao.class).delete(Digests.sha256(cookie)));
    }
}
