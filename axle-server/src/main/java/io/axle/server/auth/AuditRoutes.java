package io.axle.server.auth;

import static java.util.Objects.requireNonNull;

import io.axle.server.http.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@code GET /api/2.0/axle/audit}: the audit log, newest first (admins only, by the access policy). */
public final class AuditRoutes {
    private final AuditLog audit;
    private final Json json;
    private final boolean recording;

    /** {@code recording}: whether the server records changes (it does with {@code --auth}). */
    public AuditRoutes(AuditLog audit, Json json, boolean recording) {
        this.audit = requireNonNull(audit, "audit is null");
        this.json = requireNonNull(json, "json is null");
        this.recording = recording;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/2.0/axle/audit", this::list);
    }

    record AuditResponse(List<AuditView> entries) {}

    record AuditView(
            long id, long time, String actor, String method, String route, String path, String target, int status) {}

    private void list(Context ctx) {
        if (!recording) {
            throw new io.axle.common.AxleException(
                    io.axle.common.ErrorCode.INVALID_STATE,
                    "This server runs without --auth, so every change is anonymous and none is recorded in the audit "
                            + "log; start it with --auth to keep one. Registry events still list model changes "
                            + "(GET /api/2.0/axle/events).");
        }
        Instant since = Optional.ofNullable(ctx.queryParam("since"))
                .filter(text -> !text.isBlank())
                .map(AuditLog::parseSince)
                .orElse(Instant.EPOCH);
        Optional<String> actor = Optional.ofNullable(ctx.queryParam("actor")).filter(text -> !text.isBlank());
        int maxResults = Optional.ofNullable(ctx.queryParam("max_results"))
                .map(AuditRoutes::parseMaxResults)
                .orElse(AuditLog.DEFAULT_MAX_RESULTS);
        List<AuditView> entries = audit.list(since, actor, maxResults).stream()
                .map(entry -> new AuditView(
                        entry.id(),
                        entry.time(),
                        entry.actor(),
                        entry.method(),
                        entry.route(),
                        entry.path(),
                        entry.target().orElse(null),
                        entry.status()))
                .toList();
        json.respond(ctx, new AuditResponse(entries));
    }

    private static int parseMaxResults(String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw io.axle.common.AxleException.invalidParameter(
                    "Invalid max_results '" + text + "': give a whole number.");
        }
    }
}
