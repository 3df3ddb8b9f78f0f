package io.axle.server.auth;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.server.http.Actors;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Who a request comes from: {@code Authorization: Basic} (user name and password), {@code Authorization: Bearer}
 * (an API token), or the UI's session cookie. With auth on, {@link #register} makes every route but the public ones
 * require one of them, and records the user as the request's {@link Actors actor} and {@link #principal}.
 */
public final class Authenticator {
    /** The request attribute holding the authenticated {@link Principal}. */
    public static final String PRINCIPAL_ATTRIBUTE = "axle.principal";

    public static final String CHALLENGE = "Basic realm=\"axle\"";
    private static final Set<String> PUBLIC_PATHS = Set.of("/health", "/version", "/login", "/logout");

    private final Users users;
    private final Tokens tokens;
    private final Sessions sessions;

    Authenticator(Users users, Tokens tokens, Sessions sessions) {
        this.users = requireNonNull(users, "users is null");
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
    }

    /** Requires credentials on every route but {@code /health} and {@code /version}. */
    public void register(RoutesConfig routes) {
        PageRefusedException.register(routes);
        routes.before(ctx -> {
            if (PUBLIC_PATHS.contains(ctx.path()) || ctx.path().startsWith("/static/")) {
                // still know who a signed-in caller is, for the audit log; the public pages need nobody
                authenticateQuietly(ctx).ifPresent(principal -> remember(ctx, principal));
                return;
            }
            Optional<Principal> found = authenticate(ctx);
            if (found.isEmpty() && ctx.method() == HandlerType.GET && AccessPolicy.isUiPath(ctx.path())) {
                String query = ctx.queryString();
                throw PageRefusedException.signIn(ctx.path() + (query == null || query.isEmpty() ? "" : "?" + query));
            }
            remember(ctx, found.orElseThrow(() -> unauthenticated(ctx, "Credentials required")));
        });
    }

    private static void remember(Context ctx, Principal principal) {
        ctx.attribute(PRINCIPAL_ATTRIBUTE, principal);
        ctx.attribute(Actors.ATTRIBUTE, principal.username());
    }

    private Optional<Principal> authenticateQuietly(Context ctx) {
        try {
            return authenticate(ctx);
        } catch (AxleException e) {
            return Optional.empty();
        }
    }

    /**
     * The user the request's credentials sign in as; empty when it carries none. Credentials that are malformed or
     * wrong fail with 401 UNAUTHENTICATED and a Basic challenge. The session cookie signs in to the web UI only: on
     * the API a cross-site form could otherwise ride it, so the API takes Basic or Bearer.
     */
    public Optional<Principal> authenticate(Context ctx) {
        String authorization = ctx.header("Authorization");
        if (authorization == null || authorization.isBlank()) {
            if (!AccessPolicy.isUiPath(ctx.path())) {
                return Optional.empty();
            }
            String cookie = ctx.cookie(Sessions.COOKIE);
            return cookie == null || cookie.isEmpty() ? Optional.empty() : sessions.find(cookie);
        }
        int space = authorization.indexOf(' ');
        String scheme = space < 0 ? authorization : authorization.substring(0, space);
        String value = space < 0 ? "" : authorization.substring(space + 1).strip();
        Optional<Principal> principal = switch (scheme.toLowerCase(Locale.ROOT)) {
            case "basic" -> basic(ctx, value);
            case "bearer" -> tokens.authenticate(value);
            default -> throw unauthenticated(ctx, "Unsupported authorization scheme '" + scheme + "'");
        };
        return Optional.of(principal.orElseThrow(() -> unauthenticated(ctx, "Invalid credentials")));
    }

    /** The principal {@link #register}'s check set on this request, if auth is on. */
    public static Optional<Principal> principal(Context ctx) {
        return ctx.attribute(PRINCIPAL_ATTRIBUTE) instanceof Principal principal
                ? Optional.of(principal)
                : Optional.empty();
    }

    private Optional<Principal> basic(Context ctx, String encoded) {
        String pair;
        try {
            pair = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw unauthenticated(ctx, "Malformed Basic credentials");
        }
        int colon = pair.indexOf(':');
        if (colon < 0) {
            throw unauthenticated(ctx, "Malformed Basic credentials");
        }
        return users.verify(pair.substring(0, colon), pair.substring(colon + 1));
    }

    private static AxleException unauthenticated(Context ctx, String reason) {
        ctx.header("WWW-Authenticate", CHALLENGE);
        return new AxleException(
                ErrorCode.UNAUTHENTICATED,
                reason + ": sign in with a user name and password (MLFLOW_TRACKING_USERNAME and "
                        + "MLFLOW_TRACKING_PASSWORD) or an API token (MLFLOW_TRACKING_TOKEN).");
    }
}
