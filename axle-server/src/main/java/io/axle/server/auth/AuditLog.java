package io.axle.server.auth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.common.AxleException;
import io.axle.server.db.Database;
import io.axle.server.http.Actors;
import io.axle.server.http.Requests;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who changed what: every POST, PUT, PATCH and DELETE, refused ones too, with its actor, route, path, the resource it
 * named and the status it got. Never a body, a query string or a credential.
 */
public final class AuditLog {
    public static final int DEFAULT_MAX_RESULTS = 100;
    public static final int MAX_RESULTS = 10_000;

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final Set<HandlerType> CHANGES =
            Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);
    // the fields that name a resource, in the order a target is taken from them
    private static final List<String> TARGET_FIELDS =
            List.of("experiment_id", "run_id", "run_uuid", "name", "registered_model", "username", "experiment_name");
    private static final int MAX_TEXT = 512;

    private final Database database;
    private final InstantSource clock;

    public AuditLog(Database database, InstantSource clock) {
        this.database = requireNonNull(database, "database is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Records every state-changing request once its answer is known. */
    public void register(RoutesConfig routes) {
        routes.after(this::record);
    }

    private void record(Context ctx) {
        if (!CHANGES.contains(ctx.method())) {
            return;
        }
        String route = AccessPolicy.matched(ctx).map(endpoint -> endpoint.path).orElse("(no route)");
        AuditEntry entry = new AuditEntry(
                0,
                clock.millis(),
                Actors.of(ctx),
                ctx.method().name(),
                route,
                clip(ctx.path(), 2048),
                target(ctx),
                ctx.statusCode());
        try {
            database.useTransaction(handle -> handle.attach(AuditDao.class)
                    .insert(
                            entry.time(),
                            entry.actor(),
                            entry.method(),
                            entry.route(),
                            entry.path(),
                            entry.target().orElse(null),
                            entry.status()));
        } catch (RuntimeException e) {
            // the request is done; a lost audit row must not turn its answer into an error
            log.error("Could not record {} {} in the audit log", entry.method(), entry.path(), e);
        }
    }

    /** The newest entries first, from {@code since} on, optionally of one actor. */
    public List<AuditEntry> list(Instant since, Optional<String> actor, int maxResults) {
        if (maxResults < 1 || maxResults > MAX_RESULTS) {
            throw AxleException.invalidParameter(
                    "max_results must be between 1 and " + MAX_RESULTS + ", got " + maxResults + ".");
        }
        return database
                .withHandle(handle ->
                        handle.attach(AuditDao.class).list(since.toEpochMilli(), actor.orElse(null), maxResults))
                .stream()
                .map(row -> new AuditEntry(
                        row.id(),
                        row.eventTime(),
                        row.actor(),
                        row.method(),
                        row.route(),
                        row.path(),
                        Optional.ofNullable(row.target()),
                        row.status()))
                .toList();
    }

    /** Parses {@code since} as epoch milliseconds or an ISO-8601 instant ({@code 2026-11-29T10:00:00Z}). */
    public static Instant parseSince(String text) {
        String value = text.strip();
        try {
            return value.chars().allMatch(Character::isDigit)
                    ? Instant.ofEpochMilli(Long.parseLong(value))
                    : Instant.parse(value);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw AxleException.invalidParameter("Invalid since '" + text
                    + "': give epoch milliseconds or an ISO-8601 instant such as 2026-11-29T10:00:00Z.");
        }
    }

    private static Optional<String> target(Context ctx) {
        // parsed here from the template: a request refused before its route ran has no path parameters in ctx
        Map<String, String> pathParameters = AccessPolicy.matched(ctx)
                .map(endpoint -> pathParameters(endpoint.path, ctx.path()))
                .orElse(Map.of());
        for (String parameter : List.of("name", "id", "webhook_id")) {
            String value = pathParameters.get(parameter);
            if (value != null) {
                return Optional.of(clip(parameter + "=" + value, MAX_TEXT));
            }
        }
        Optional<JsonNode> body = Requests.bodyIfRead(ctx);
        for (String field : TARGET_FIELDS) {
            String value = ctx.queryParam(field);
            if (value == null && body.isPresent() && body.get().path(field).isValueNode()) {
                value = body.get().path(field).asText();
            }
            if (value != null && !value.isEmpty()) {
                return Optional.of(clip(field + "=" + value, MAX_TEXT));
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> pathParameters(String template, String path) {
        String[] names = template.split("/");
        String[] values = path.split("/");
        Map<String, String> parameters = new HashMap<>();
        for (int i = 0; i < names.length && i < values.length; i++) {
            if (names[i].startsWith("{") && names[i].endsWith("}")) {
                parameters.put(names[i].substring(1, names[i].length() - 1), values[i]);
            }
        }
        return parameters;
    }

    private static String clip(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length);
    }
}
