package io.axle.server.auth;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A refusal of a web UI page: a browser gets the sign-in page (303) or a small HTML page, not the API's JSON. It is an
 * {@link AxleException} so the refusal carries the same code the API would answer with.
 */
final class PageRefusedException extends AxleException {
    private final Optional<String> signInLocation;

    private PageRefusedException(ErrorCode errorCode, String message, Optional<String> signInLocation) {
        super(errorCode, message);
        this.signInLocation = signInLocation;
    }

    static PageRefusedException signIn(String pathAndQuery) {
        return new PageRefusedException(
                ErrorCode.UNAUTHENTICATED,
                "Sign in to see this page.",
                Optional.of("/login?next=" + URLEncoder.encode(pathAndQuery, StandardCharsets.UTF_8)));
    }

    static PageRefusedException of(AxleException refusal) {
        return new PageRefusedException(refusal.errorCode(), refusal.getMessage(), Optional.empty());
    }

    static void register(RoutesConfig routes) {
        routes.exception(PageRefusedException.class, (refusal, ctx) -> {
            if (refusal.signInLocation.isPresent()) {
                ctx.redirect(refusal.signInLocation.get(), HttpStatus.SEE_OTHER);
                return;
            }
            ctx.status(refusal.errorCode().httpStatus());
            ctx.html("<!doctype html><html><head><meta charset=\"utf-8\"><title>"
                    + refusal.errorCode().httpStatus()
                    + "</title></head><body><h1>" + refusal.errorCode().httpStatus() + "</h1><p>"
                    + escape(refusal.getMessage()) + "</p><p><a href=\"/\">Axle</a></p></body></html>");
        });
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
