package io.axle.server.ui;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Cross-site request forgery protection for the UI's forms, as a double-submit token: a random value in an HttpOnly,
 * SameSite=Strict cookie that every form repeats in a hidden field (htmx requests may send it as a header). Another
 * site can make a browser send the cookie but cannot read it to write the field. A request whose Origin names
 * another host is refused as well.
 */
public final class Csrf {
    public static final String COOKIE = "axle_csrf";
    public static final String FIELD = "_csrf";
    public static final String HEADER = "X-CSRF-Token";

    private static final String ATTRIBUTE = "axle.ui.csrf";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final SecureRandom random = new SecureRandom();

    /** This browser's token, set as a cookie on the response when it has none yet. */
    public String token(Context ctx) {
        String cached = ctx.attribute(ATTRIBUTE);
        if (cached != null) {
            return cached;
        }
        String cookie = ctx.cookie(COOKIE);
        String token;
        if (cookie != null && TOKEN.matcher(cookie).matches()) {
            token = cookie;
        } else {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            ctx.res()
                    .addHeader(
                            "Set-Cookie",
                            COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict"
                                    + (ctx.scheme().equals("https") ? "; Secure" : ""));
        }
        ctx.attribute(ATTRIBUTE, token);
        return token;
    }

    /** Refuses a state-changing request that does not carry this browser's token, or comes from another origin. */
    public void verify(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin != null && !origin.equals("null") && !sameHost(origin, ctx.host())) {
            throw new UiException(403, "This form was sent from another site (" + origin + "); it was not applied.");
        }
        String cookie = ctx.cookie(COOKIE);
        String sent = Optional.ofNullable(ctx.header(HEADER)).orElseGet(() -> ctx.formParam(FIELD));
        if (cookie == null || sent == null || !constantTimeEquals(cookie, sent)) {
            throw new UiException(
                    403,
                    "The form's security token is missing or out of date, so nothing was changed. "
                            + "Reload the page and try again.");
        }
    }

    private static boolean sameHost(String origin, String host) {
        if (host == null) {
            return false;
        }
        String withoutScheme = origin.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        return withoutScheme.toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT));
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
