package io.axle.server.auth;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One state-changing request as the audit log keeps it.
 *
 * @param route the path template the request matched, e.g. {@code /api/2.0/mlflow/runs/log-metric}
 * @param target the experiment, registered model, deployment or user it named, when known
 */
public record AuditEntry(
        long id,
        long time,
        String actor,
        String method,
        String route,
        String path,
        Optional<String> target,
        int status) {
    public AuditEntry {
        requireNonNull(actor, "actor is null");
        requireNonNull(method, "method is null");
        requireNonNull(route, "route is null");
        requireNonNull(path, "path is null");
        requireNonNull(target, "target is null");
    }
}
