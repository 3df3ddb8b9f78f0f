package io.axle.server.system;

import io.axle.common.AxleVersion;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** Liveness and version, where MLflow's server has them. */
public final class SystemRoutes {
    public void register(RoutesConfig routes) {
        routes.get("/health", this::health);
        routes.get("/version", this::version);
    }

    private void health(Context ctx) {
        ctx.contentType("text/plain").result("OK");
    }

    private void version(Context ctx) {
        ctx.contentType("text/plain").result(AxleVersion.current());
    }
}
