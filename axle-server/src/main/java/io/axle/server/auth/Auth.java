package io.axle.server.auth;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.server.db.Database;
import java.security.SecureRandom;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The auth services over one database, built once by the server, with the first admin made when there is none. */
public final class Auth {
    private static final Logger log = LoggerFactory.getLogger(Auth.class);

    private final AuthConfig config;
    private final Users users;
    private final Tokens tokens;
    private final Permissions permissions;
    private final Sessions sessions;
    private final Authenticator authenticator;

    private Auth(AuthConfig config, Users users, Tokens tokens, Permissions permissions, Sessions sessions) {
        this.config = config;
        this.users = users;
        this.tokens = tokens;
        this.permissions = permissions;
        this.sessions = sessions;
        this.authenticator = new Authenticator(users, tokens, sessions);
    }

    public static Auth create(Database database, AuthConfig config, InstantSource clock, SecureRandom random) {
        requireNonNull(config, "config is null");
        Users users = new Users(database, clock, random);
        return new Auth(
                config,
                users,
                new Tokens(database, clock, random),
                new Permissions(database, config.defaultPermission()),
                new Sessions(database, clock, random));
    }

    /**
     * With auth on and no user yet, creates the configured first admin, or refuses to start without one: a server
     * nobody can sign in to is of no use.
     */
    public void ensureAdmin() {
        if (!config.enabled() || users.count() > 0) {
            return;
        }
        String username = config.initialAdminUsername()
                .orElseThrow(() -> new AxleException(
                        ErrorCode.INVALID_STATE,
                        "Authentication is on but the server has no user yet: set --admin-username (or "
                                + "AXLE_ADMIN_USERNAME) and AXLE_ADMIN_PASSWORD to create the first admin."));
        users.create(username, config.initialAdminPassword().orElseThrow(), true);
        log.info("Created the first admin user '{}'", username);
    }

    public AuthConfig config() {
        return config;
    }

    public Users users() {
        return users;
    }

    public Tokens tokens() {
        return tokens;
    }

    public Permissions permissions() {
        return permissions;
    }

    public Sessions sessions() {
        return sessions;
    }

    public Authenticator authenticator() {
        return authenticator;
    }
}
