package io.axle.server.http;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP responses: MLflow's {@code {"error_code", "message"}} body with its
 * status code. Bad input is the client's 4xx; only Axle's own faults are 500, logged once here.
 */
public final class ErrorResponses {
    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

    private final Json json;

    public ErrorResponses(Json json) {
        this.json = requireNonNull(json, "json is null");
    }

    /** Jetty's own error pages, for requests it refuses before routing. */
    public ErrorHandler jettyErrorHandler() {
        return new JettyErrors(json);
    }

    public void register(RoutesConfig routes) {
        routes.exception(AxleException.class, (failure, ctx) -> write(ctx, failure.errorCode(), failure.getMessage()));
        routes.exception(
                HttpResponseException.class,
                (failure, ctx) -> write(ctx, codeFor(failure.getStatus()), failure.getMessage()));
        routes.exception(JdbiException.class, (failure, ctx) -> {
            log.error("Database failure on {} {}", ctx.method(), ctx.path(), failure);
            write(
                    ctx,
                    ErrorCode.TEMPORARILY_UNAVAILABLE,
                    "The backend store failed to answer; try again. ("
                            + failure.getClass().getSimpleName() + ")");
        });
        routes.exception(Exception.class, (failure, ctx) -> {
            log.error("Unexpected failure on {} {}", ctx.method(), ctx.path(), failure);
            write(
                    ctx,
                    ErrorCode.INTERNAL_ERROR,
                    "Internal error (" + failure.getClass().getSimpleName() + "); see the server log.");
        });
        routes.error(HttpStatus.NOT_FOUND.getCode(), ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                write(ctx, ErrorCode.ENDPOINT_NOT_FOUND, "No API endpoint " + ctx.method() + " " + ctx.path());
            }
        });
        routes.error(
                HttpStatus.METHOD_NOT_ALLOWED.getCode(),
                ctx -> write(
                        ctx,
                        ErrorCode.METHOD_NOT_ALLOWED,
                        "Method " + ctx.method() + " is not allowed on " + ctx.path()));
    }

    public void write(Context ctx, ErrorCode code, String message) {
        ctx.status(code.httpStatus());
        json.respond(ctx, new ErrorBody(code.name(), message));
    }

    static ErrorCode codeFor(int status) {
        return switch (status) {
            case 404 -> ErrorCode.ENDPOINT_NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 413 -> ErrorCode.REQUEST_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 401 -> ErrorCode.UNAUTHENTICATED;
            case 403 -> ErrorCode.PERMISSION_DENIED;
            case 501 -> ErrorCode.NOT_IMPLEMENTED;
            case 503 -> ErrorCode.TEMPORARILY_UNAVAILABLE;
            default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.BAD_REQUEST;
        };
    }
}
