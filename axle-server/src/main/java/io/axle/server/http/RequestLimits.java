package io.axle.server.http;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.server.auth.Authenticator;
import io.axle.server.auth.Principal;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Optional;

/**
 * Applies {@link HttpLimits} to every request: the body size API messages may have, a token bucket per caller on
 * state-changing requests, and a stricter one per address on {@code POST /login} against password guessing.
 * Register it after the authenticator, so that a signed-in caller is counted by name rather than by address.
 */
public final class RequestLimits {
    /** Sign-in attempts per minute and address. */
    static final int LOGIN_ATTEMPTS_PER_MINUTE = 10;

    private static final String MAX_BODY_ATTRIBUTE = "axle.maxBodyBytes";

    private final HttpLimits limits;
    private final Optional<RateLimiter> writes;
    private final RateLimiter logins;

    public RequestLimits(HttpLimits limits) {
        this.limits = requireNonNull(limits, "limits is null");
        this.writes = limits.writesPerSecond()
                .map(perSecond -> new RateLimiter(perSecond, Math.max(1, perSecond), System::nanoTime));
        this.logins = new RateLimiter(LOGIN_ATTEMPTS_PER_MINUTE / 60.0, LOGIN_ATTEMPTS_PER_MINUTE, System::nanoTime);
    }

    public void register(RoutesConfig routes) {
        routes.before(ctx -> {
            ctx.attribute(MAX_BODY_ATTRIBUTE, limits.maxRequestBytes());
            if (!changesState(ctx.method())) {
                return;
            }
            if (ctx.path().equals("/login")) {
                refuseOver(ctx, logins, "ip:" + ctx.ip(), "sign-in attempts from this address");
            } else if (writes.isPresent()) {
                refuseOver(ctx, writes.get(), caller(ctx), "write requests from " + callerName(ctx));
            }
        });
    }

    /** The largest JSON body this request may carry. */
    public static long maxBody(Context ctx) {
        return ctx.attribute(MAX_BODY_ATTRIBUTE) instanceof Long limit ? limit : HttpLimits.DEFAULT_MAX_REQUEST_BYTES;
    }

    private static void refuseOver(Context ctx, RateLimiter limiter, String caller, String what) {
        long wait = limiter.acquire(caller);
        if (wait > 0) {
            ctx.header("Retry-After", Long.toString(wait));
            throw new AxleException(
                    ErrorCode.REQUEST_LIMIT_EXCEEDED,
                    "Too many " + what + ": retry after " + wait + " second" + (wait == 1 ? "" : "s") + ".");
        }
    }

    /**
     * Whose bucket a write draws on: each API token its own (a runaway job with one token does not stall its owner's
     * other clients), a password-signed user theirs, anyone else their address. A token is kept only as a digest.
     */
    private static String caller(Context ctx) {
        String authorization = ctx.header("Authorization");
        return Authenticator.principal(ctx)
                .map(principal -> authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                        ? "token:" + digest(authorization.substring(7).strip())
                        : "user:" + principal.username())
                .orElseGet(() -> "ip:" + ctx.ip());
    }

    private static String digest(String secret) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String callerName(Context ctx) {
        return Authenticator.principal(ctx)
                .map(Principal::username)
                .map(name -> "user '" + name + "'")
                .orElse("this address");
    }

    private static boolean changesState(HandlerType method) {
        return method == HandlerType.POST
                || method == HandlerType.PUT
                || method == HandlerType.PATCH
                || method == HandlerType.DELETE;
    }
}
