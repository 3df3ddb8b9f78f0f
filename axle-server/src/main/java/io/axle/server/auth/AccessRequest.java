package io.axle.server.auth;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;

/** A request being checked: its context and the signed-in user it acts as. */
public record AccessRequest(Context ctx, Principal principal) {
    public AccessRequest {
        requireNonNull(ctx, "ctx is null");
        requireNonNull(principal, "principal is null");
    }
}
