package io.axle.server.events;

import static java.util.Objects.requireNonNull;

import io.axle.server.http.Json;
import io.axle.server.http.RequestMessage;
import io.axle.server.http.Requests;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;

/** {@code GET /api/2.0/axle/events?after=<seq>&max_results=}: the registry's events in order. */
public final class EventRoutes {
    private final EventLog events;
    private final Json json;

    public EventRoutes(EventLog events, Json json) {
        this.events = requireNonNull(events, "events is null");
        this.json = requireNonNull(json, "json is null");
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/2.0/axle/events", this::list);
    }

    /** {@code next_after} is what to pass as {@code after} for the next page; {@code latest} the newest number. */
    record EventsResponse(List<RegistryEvent> events, long nextAfter, long latest) {}

    private void list(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        long after = request.int64("after").orElse(0L);
        List<RegistryEvent> page =
                events.after(after, request.int32("max_results").orElse(EventLog.DEFAULT_MAX_RESULTS));
        long next = page.isEmpty() ? after : page.getLast().seq();
        json.respond(ctx, new EventsResponse(page, next, events.latest()));
    }
}
