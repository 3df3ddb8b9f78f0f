package io.axle.serving.http;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.serving.metrics.ServingMetrics;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches a request to a route template, runs the route, and is the one place where exceptions become error bodies
 * (in the route's protocol's style) and where every request is counted in the metrics.
 */
final class Router extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger(Router.class);
    private static final String UNMATCHED = "unmatched";

    @FunctionalInterface
    interface RouteHandler {
        Reply handle(Call call);
    }

    record Route(String method, String template, ErrorStyle style, RouteHandler handler) {
        Route {
            requireNonNull(method, "method is null");
            requireNonNull(template, "template is null");
            requireNonNull(style, "style is null");
            requireNonNull(handler, "handler is null");
        }

        Optional<Map<String, String>> match(String[] segments) {
            String[] parts = template.split("/", -1);
            if (parts.length != segments.length) {
                return Optional.empty();
            }
            Map<String, String> parameters = new HashMap<>();
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].startsWith("{") && parts[i].endsWith("}")) {
                    if (segments[i].isEmpty()) {
                        return Optional.empty();
                    }
                    parameters.put(
                            parts[i].substring(1, parts[i].length() - 1),
                            URLDecoder.decode(segments[i], StandardCharsets.UTF_8));
                } else if (!parts[i].equals(segments[i])) {
                    return Optional.empty();
                }
            }
            return Optional.of(parameters);
        }
    }

    private final List<Route> routes = new ArrayList<>();
    private final ServingMetrics metrics;
    private final long maxBodyBytes;

    Router(ServingMetrics metrics, long maxBodyBytes) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.maxBodyBytes = maxBodyBytes;
    }

    Router add(String method, String template, ErrorStyle style, RouteHandler handler) {
        routes.add(new Route(method, template, style, handler));
        return this;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long started = System.nanoTime();
        String path = Request.getPathInContext(request);
        Lookup lookup = lookup(request.getMethod(), path.split("/", -1));
        ErrorStyle style = lookup.route().map(Route::style).orElse(ErrorStyle.forPath(path));
        Reply reply;
        try {
            reply = run(request, path, lookup);
        } catch (AxleException e) {
            reply = style.reply(e.errorCode(), e.getMessage());
        } catch (RuntimeException e) {
            // a bug of ours, not the caller's input: the caller gets the message, the log the stack trace
            log.error("Request {} {} failed", request.getMethod(), path, e);
            reply = style.reply(ErrorCode.INTERNAL_ERROR, "internal error: " + e);
        }
        response.setStatus(reply.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.body().length);
        if (reply.status() == 429 || reply.status() == 503) {
            // the queue drains in milliseconds; a client that waits a second finds room (or the new process)
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        }
        response.write(true, ByteBuffer.wrap(reply.body()), callback);
        metrics.requestDone(lookup.template(), reply.status(), System.nanoTime() - started);
        return true;
    }

    private Reply run(Request request, String path, Lookup lookup) {
        if (lookup.route().isPresent()) {
            return lookup.route().get().handler().handle(new Call(request, lookup.parameters(), maxBodyBytes));
        }
        if (!lookup.template().equals(UNMATCHED)) {
            throw new AxleException(
                    ErrorCode.METHOD_NOT_ALLOWED, "method " + request.getMethod() + " is not allowed on " + path);
        }
        throw new AxleException(ErrorCode.ENDPOINT_NOT_FOUND, "no endpoint " + path);
    }

    /** The route for this method and path; without one, the template of the path under another method, if any. */
    private record Lookup(Optional<Route> route, Map<String, String> parameters, String template) {}

    private Lookup lookup(String method, String[] segments) {
        String otherMethodTemplate = UNMATCHED;
        for (Route route : routes) {
            Optional<Map<String, String>> parameters = route.match(segments);
            if (parameters.isEmpty()) {
                continue;
            }
            if (route.method().equals(method)) {
                return new Lookup(Optional.of(route), parameters.get(), route.template());
            }
            otherMethodTemplate = route.template();
        }
        return new Lookup(Optional.empty(), Map.of(), otherMethodTemplate);
    }
}
