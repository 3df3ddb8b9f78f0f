package io.axle.server.auth;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.server.db.Database;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/** The users that can sign in: bcrypt password hashes, admin flags, and verification of Basic credentials. */
public final class Users {
    /** bcrypt's work factor: 2^10 rounds, about 50-100 ms a verification on a server core. */
    static final int BCRYPT_COST = 10;

    private static final int MAX_USERNAME = 256;
    private static final int MIN_PASSWORD = 8;
    // bcrypt reads at most 72 bytes: a longer password would be silently cut short
    private static final int MAX_PASSWORD_BYTES = 72;

    private final Database database;
    private final InstantSource clock;
    private final BCryptPasswordEncoder encoder = new BCryptPasswordEncoder(BCRYPT_COST);
    private final VerifiedPasswords verified;
    // verified against when the user does not exist, so that a wrong name takes as long as a wrong password
    private final String decoyHash;

    Users(Database database, InstantSource clock, SecureRandom random) {
        this.database = requireNonNull(database, "database is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.verified = new VerifiedPasswords(clock, random);
        this.decoyHash = encoder.encode("decoy-password-never-matches");
    }

    public User create(String username, String password, boolean admin) {
        requireUsername(username);
        String hash = hash(password);
        database.useTransaction(handle -> {
            UserDao dao = handle.attach(UserDao.class);
            if (dao.find(username).isPresent()) {
                throw AxleException.alreadyExists("User '" + username + "' already exists.");
            }
            dao.insert(username, hash, admin, clock.millis());
        });
        return get(username);
    }

    public User get(String username) {
        return find(username).orElseThrow(() -> notFound(username));
    }

    public Optional<User> find(String username) {
        return database.withHandle(handle -> handle.attach(UserDao.class).find(username))
                .map(UserDao.UserRow::user);
    }

    public List<User> list() {
        return database.withHandle(handle -> handle.attach(UserDao.class).list()).stream()
                .map(UserDao.UserRow::user)
                .toList();
    }

    public long count() {
        return database.withHandle(handle -> handle.attach(UserDao.class).count());
    }

    /** Deletes the user with their tokens, permissions and sessions. */
    public void delete(String username) {
        int deleted =
                database.inTransaction(handle -> handle.attach(UserDao.class).delete(username));
        verified.forget(username);
        if (deleted == 0) {
            throw notFound(username);
        }
    }

    public void setPassword(String username, String password) {
        String hash = hash(password);
        int updated = database.inTransaction(
                handle -> handle.attach(UserDao.class).setPassword(username, hash, clock.millis()));
        verified.forget(username);
        if (updated == 0) {
            throw notFound(username);
        }
    }

    public void setAdmin(String username, boolean admin) {
        int updated = database.inTransaction(
                handle -> handle.attach(UserDao.class).setAdmin(username, admin, clock.millis()));
        verified.forget(username);
        if (updated == 0) {
            throw notFound(username);
        }
    }

    /** The user these credentials sign in as, if the password is theirs. */
    public Optional<Principal> verify(String username, String password) {
        requireNonNull(username, "username is null");
        requireNonNull(password, "password is null");
        Optional<Principal> remembered = verified.find(username, password);
        if (remembered.isPresent()) {
            return remembered;
        }
        Optional<UserDao.UserRow> row =
                database.withHandle(handle -> handle.attach(UserDao.class).find(username));
        if (row.isEmpty() || tooLong(password)) {
            encoder.matches("decoy", decoyHash);
            return Optional.empty();
        }
        if (!encoder.matches(password, row.get().passwordHash())) {
            return Optional.empty();
        }
        Principal principal = row.get().user().principal();
        verified.remember(password, principal);
        return Optional.of(principal);
    }

    int rememberedVerifications() {
        return verified.size();
    }

    private String hash(String password) {
        requireNonNull(password, "password is null");
        if (password.length() < MIN_PASSWORD) {
            throw AxleException.invalidParameter(
                    "The password is too short: use at least " + MIN_PASSWORD + " characters.");
        }
        if (tooLong(password)) {
            throw AxleException.invalidParameter(
                    "The password is too long: bcrypt uses at most " + MAX_PASSWORD_BYTES + " bytes of UTF-8.");
        }
        return encoder.encode(password);
    }

    private static boolean tooLong(String password) {
        return password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES;
    }

    static void requireUsername(String username) {
        requireNonNull(username, "username is null");
        if (username.isBlank() || username.length() > MAX_USERNAME) {
            throw AxleException.invalidParameter(
                    "Invalid user name: use 1 to " + MAX_USERNAME + " characters, not blank.");
        }
        // a colon cannot travel in Basic credentials; spaces and control characters only confuse logs and tables
        if (!username.codePoints().allMatch(c -> c > ' ' && c != ':' && c != 0x7f)) {
            throw AxleException.invalidParameter(
                    "Invalid user name '" + username + "': use no spaces, colons or control characters.");
        }
    }

    static AxleException notFound(String username) {
        return AxleException.notFound("User '" + username + "' does not exist.");
    }
}
