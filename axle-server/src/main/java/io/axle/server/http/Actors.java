package io.axle.server.http;

import io.javalin.http.Context;

/** Who made a request, for the user_id of what it creates and the actor of the events it causes. */
public final class Actors {
    /** The request attribute that authentication sets to the signed-in user's name. */
    public static final String ATTRIBUTE = "axle.actor";

    public static final String ANONYMOUS = "anonymous";

    private Actors() {}

    public static String of(Context ctx) {
        Object actor = ctx.attribute(ATTRIBUTE);
        return actor instanceof String name && !name.isEmpty() ? name : ANONYMOUS;
    }
}
