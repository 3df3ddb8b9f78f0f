package io.axle.server.auth;

import static java.util.Objects.requireNonNull;

/**
 * What one route requires of its caller: the {@link Kind} says which class of rule it is (the route-enumeration test
 * reads it), the check throws when the request's principal may not call it.
 */
public record AccessRule(Kind kind, Check check) {
    public AccessRule {
        requireNonNull(kind, "kind is null");
        requireNonNull(check, "check is null");
    }

    public enum Kind {
        /** Anyone, signed in or not. */
        PUBLIC,
        /** Any signed-in user (lists filter what they return). */
        AUTHENTICATED,
        /** A permission on the experiment, registered model or deployment the request names. */
        RESOURCE,
        /** Admins only. */
        ADMIN
    }

    /** Throws {@code PERMISSION_DENIED} (or the lookup's own 400/404) when {@code request} may not go on. */
    @FunctionalInterface
    public interface Check {
        void check(AccessRequest request);
    }
}
