package io.axle.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import java.util.List;

/** Registers an MLflow REST route under both prefixes MLflow serves it on. */
public final class MlflowApi {
    public static final List<String> PREFIXES = List.of("/api/2.0/mlflow/", "/ajax-api/2.0/mlflow/");

    private MlflowApi() {}

    public static void get(RoutesConfig routes, String path, Handler handler) {
        PREFIXES.forEach(prefix -> routes.get(prefix + path, handler));
    }

    public static void post(RoutesConfig routes, String path, Handler handler) {
        PREFIXES.forEach(prefix -> routes.post(prefix + path, handler));
    }

    public static void patch(RoutesConfig routes, String path, Handler handler) {
        PREFIXES.forEach(prefix -> routes.patch(prefix + path, handler));
    }

    public static void delete(RoutesConfig routes, String path, Handler handler) {
        PREFIXES.forEach(prefix -> routes.delete(prefix + path, handler));
    }
}
