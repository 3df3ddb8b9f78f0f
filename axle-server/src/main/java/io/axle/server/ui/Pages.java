package io.axle.server.ui;

import static java.util.Objects.requireNonNull;

import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.axle.common.AxleException;
import io.axle.server.auth.Authenticator;
import io.axle.server.auth.Permissions;
import io.axle.server.auth.Principal;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders the UI's pages: the compiled templates, the frame every page shares, the headers every page carries
 * (security policy, {@code Server-Timing}), and failures turned into pages that say what went wrong.
 */
public final class Pages {
    /** The one policy every page runs under: nothing inline, nothing from another origin, no framing. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
            + "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private static final Logger log = LoggerFactory.getLogger(Pages.class);
    private static final String STARTED = "axle.ui.started";
    private static final String NOTICE_COOKIE = "axle_notice";

    private final TemplateEngine engine;
    private final Csrf csrf;
    private final Supplier<Optional<String>> banner;
    private final Permissions permissions;

    /** {@code permissions} decide what a signed-in user's lists show; with auth off nobody is signed in. */
    public Pages(TemplateEngine engine, Csrf csrf, Supplier<Optional<String>> banner, Permissions permissions) {
        this.permissions = requireNonNull(permissions, "permissions is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.csrf = requireNonNull(csrf, "csrf is null");
        this.banner = requireNonNull(banner, "banner is null");
    }

    /** A page handler: it reads the request and calls {@link #render} or {@link #redirect}. */
    @FunctionalInterface
    public interface PageHandler {
        void handle(Context ctx) throws Exception;
    }

    /** Wraps a page so that its server time is measured and its failures become error pages. */
    public Handler page(PageHandler handler) {
        requireNonNull(handler, "handler is null");
        return ctx -> {
            ctx.attribute(STARTED, System.nanoTime());
            try {
                handler.handle(ctx);
            } catch (UiException e) {
                error(ctx, e.status(), e.getMessage());
            } catch (AxleException e) {
                error(ctx, e.errorCode().httpStatus(), e.getMessage());
            } catch (Exception e) {
                log.error("UI page {} {} failed", ctx.method(), ctx.path(), e);
                error(
                        ctx,
                        500,
                        "Something went wrong on the server while making this page; the server log has the details.");
            }
        };
    }

    /** An action (a form's POST): CSRF-checked, then run; failures become error pages and change nothing. */
    public Handler action(PageHandler handler) {
        requireNonNull(handler, "handler is null");
        return page(ctx -> {
            csrf.verify(ctx);
            handler.handle(ctx);
        });
    }

    /** The frame for a page in {@code section} titled {@code title}. */
    public Chrome chrome(Context ctx, String title, Section section) {
        return new Chrome(
                title,
                section,
                csrf.token(ctx),
                banner.get(),
                takeNotice(ctx),
                Authenticator.principal(ctx).map(Principal::username),
                Authenticator.principal(ctx).map(Principal::admin).orElse(false));
    }

    /** Whether the signed-in user may read registered model {@code name} (everyone may with auth off). */
    public boolean canReadModel(Context ctx, String name) {
        return Authenticator.principal(ctx)
                .map(principal -> permissions.model(principal, name).canRead())
                .orElse(true);
    }

    /** Whether the signed-in user may read experiment {@code experimentId} (everyone may with auth off). */
    public boolean canReadExperiment(Context ctx, String experimentId) {
        return Authenticator.principal(ctx)
                .map(principal ->
                        permissions.experiment(principal, experimentId).canRead())
                .orElse(true);
    }

    public void render(Context ctx, String template, Object view) {
        render(ctx, 200, template, view);
    }

    public void render(Context ctx, int status, String template, Object view) {
        StringOutput output = new StringOutput(16 * 1024);
        engine.render(template, view, output);
        securityHeaders(ctx);
        ctx.header("Cache-Control", "no-store");
        Long started = ctx.attribute(STARTED);
        if (started != null) {
            double millis = (System.nanoTime() - started) / 1_000_000.0;
            ctx.header("Server-Timing", String.format(java.util.Locale.ROOT, "app;dur=%.1f", millis));
        }
        ctx.status(status).contentType("text/html; charset=utf-8").result(output.toString());
    }

    /** After an action: 303 to {@code location}, with {@code notice} shown once on the page it leads to. */
    public void redirect(Context ctx, String location, String notice) {
        ctx.res()
                .addHeader(
                        "Set-Cookie",
                        NOTICE_COOKIE + "=" + URLEncoder.encode(notice, StandardCharsets.UTF_8)
                                + "; Path=/; Max-Age=60; HttpOnly; SameSite=Strict");
        ctx.redirect(location, HttpStatus.SEE_OTHER);
    }

    public void error(Context ctx, int status, String message) {
        int shown = status >= 400 && status < 600 ? status : 500;
        render(ctx, shown, "error.jte", new ErrorView(chrome(ctx, title(shown), Section.MODELS), shown, message));
    }

    /** A 404 page when {@code found} is empty. */
    public static <T> T found(Optional<T> found, String what) {
        return found.orElseThrow(() -> new UiException(404, what + " does not exist."));
    }

    public static void securityHeaders(Context ctx) {
        if (isHttps(ctx)) {
            ctx.header("Strict-Transport-Security", "max-age=31536000");
        }
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
    }

    /** Whether the browser reached us over https, directly or through a proxy that says so. */
    public static boolean isHttps(Context ctx) {
        return ctx.scheme().equals("https") || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }

    Csrf csrf() {
        return csrf;
    }

    private Optional<String> takeNotice(Context ctx) {
        String value = ctx.cookie(NOTICE_COOKIE);
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        ctx.res().addHeader("Set-Cookie", NOTICE_COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
        String notice = URLDecoder.decode(value, StandardCharsets.UTF_8);
        return notice.length() > 500 ? Optional.of(notice.substring(0, 500)) : Optional.of(notice);
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Sign-in required";
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 409 -> "Conflict";
            default -> status >= 500 ? "Server error" : "Error " + status;
        };
    }

    /** What the error page shows. */
    public record ErrorView(Chrome chrome, int status, String message) {}
}
