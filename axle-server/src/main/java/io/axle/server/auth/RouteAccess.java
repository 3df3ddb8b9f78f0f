package io.axle.server.auth;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** A registered route and the kind of rule the access policy gives it; empty when it has none (refused). */
public record RouteAccess(String method, String path, Optional<AccessRule.Kind> kind) {
    public RouteAccess {
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        requireNonNull(kind, "kind is null");
    }
}
