package io.axle.server.registry;

import static java.util.Objects.requireNonNull;

import io.axle.server.http.Json;
import io.axle.server.http.RequestMessage;
import io.axle.server.http.Requests;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** Axle's own registry endpoints: model URI resolution and lineage. */
public final class AxleRegistryRoutes {
    private final RegistryService registry;
    private final LineageService lineage;
    private final Json json;

    public AxleRegistryRoutes(RegistryService registry, LineageService lineage, Json json) {
        this.registry = requireNonNull(registry, "registry is null");
        this.lineage = requireNonNull(lineage, "lineage is null");
        this.json = requireNonNull(json, "json is null");
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/2.0/axle/models/resolve", this::resolve);
        routes.get("/api/2.0/axle/model-versions/lineage", this::lineage);
    }

    private void resolve(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        json.respond(ctx, registry.resolve(request.requiredString("uri")));
    }

    private void lineage(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        json.respond(ctx, lineage.lineage(request.requiredString("name"), RegistryRoutes.version(request)));
    }
}
