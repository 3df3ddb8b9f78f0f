package io.axle.server.ui;

import static java.util.Objects.requireNonNull;

import io.axle.server.auth.Auth;
import io.axle.server.auth.Principal;
import io.axle.server.auth.Sessions;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Optional;

/** Signing in to the UI with a user name and password, which starts a session cookie, and signing out. */
public final class LoginPage {
    static final String WRONG = "Wrong user name or password.";

    private final Auth auth;
    private final Pages pages;

    LoginPage(Auth auth, Pages pages) {
        this.auth = requireNonNull(auth, "auth is null");
        this.pages = requireNonNull(pages, "pages is null");
    }

    void register(RoutesConfig routes) {
        routes.get("/login", pages.page(this::show));
        routes.post("/login", pages.action(this::signIn));
        routes.post("/logout", pages.action(this::signOut));
    }

    private void show(Context ctx) {
        render(ctx, 200, localPath(ctx.queryParam("next")), "", Optional.empty());
    }

    private void signIn(Context ctx) {
        String next = localPath(ctx.formParam("next"));
        String username = Optional.ofNullable(ctx.formParam("username")).orElse("");
        String password = Optional.ofNullable(ctx.formParam("password")).orElse("");
        Optional<Principal> principal = username.isEmpty() || password.isEmpty()
                ? Optional.empty()
                : auth.users().verify(username, password);
        if (principal.isEmpty()) {
            render(ctx, 401, next, username, Optional.of(WRONG));
            return;
        }
        String session = auth.sessions().create(principal.get().username());
        ctx.res().addHeader("Set-Cookie", sessionCookie(session, Sessions.LIFETIME.toSeconds(), Pages.isHttps(ctx)));
        ctx.redirect(next, HttpStatus.SEE_OTHER);
    }

    private void signOut(Context ctx) {
        String session = ctx.cookie(Sessions.COOKIE);
        if (session != null && !session.isEmpty()) {
            auth.sessions().delete(session);
        }
        ctx.res().addHeader("Set-Cookie", sessionCookie("", 0, Pages.isHttps(ctx)));
        pages.redirect(ctx, "/login", "Signed out.");
    }

    private void render(Context ctx, int status, String next, String username, Optional<String> error) {
        Chrome chrome = pages.chrome(ctx, "Sign in", Section.MODELS);
        pages.render(ctx, status, "login.jte", new View(chrome, next, username, error));
    }

    static String sessionCookie(String value, long maxAgeSeconds, boolean https) {
        return Sessions.COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Lax"
                + (https ? "; Secure" : "");
    }

    /** {@code next} when it is a path on this server; {@code /} for anything that could lead to another site. */
    static String localPath(String next) {
        if (next == null
                || !next.startsWith("/")
                || next.startsWith("//")
                || next.startsWith("/\\")
                || next.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
            return "/";
        }
        return next;
    }

    /** What the sign-in page shows. */
    public record View(Chrome chrome, String next, String username, Optional<String> error) {}
}
