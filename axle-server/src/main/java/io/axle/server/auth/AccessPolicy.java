package io.axle.server.auth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.server.auth.AccessRule.Kind;
import io.axle.server.deploy.Deployment;
import io.axle.server.deploy.DeploymentService;
import io.axle.server.deploy.render.DeploymentSpec.Follows;
import io.axle.server.http.Json;
import io.axle.server.http.MlflowApi;
import io.axle.server.http.RequestMessage;
import io.axle.server.http.Requests;
import io.axle.server.tracking.ExperimentService;
import io.axle.server.tracking.RunService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * Who may call which route: every registered (method, path template) has an {@link AccessRule}, checked after
 * authentication; a route without one is refused, never silently open. Follows MLflow's auth app: READ to get and
 * list, EDIT to update and log, MANAGE to delete and to change permissions; webhooks, events and registry
 * administration are for admins.
 */
public final class AccessPolicy {
    private static final String DEPLOYMENTS = "/api/2.0/axle/deployments";
    private static final String POOLS = "/api/2.0/axle/gpu-pools";
    private static final String ARTIFACT_PREFIX_API = "/api/2.0/mlflow-artifacts/";
    private static final String ARTIFACT_PREFIX_AJAX = "/ajax-api/2.0/mlflow-artifacts/";

    private final Permissions permissions;
    private final ExperimentService experiments;
    private final RunService runs;
    private final DeploymentService deployments;
    private final Json json;
    private final Map<String, AccessRule> rules = new LinkedHashMap<>();
    // after a successful call: grants to the creator, filters of what a list returns
    private final Map<String, AfterCheck> afterChecks = new LinkedHashMap<>();

    @FunctionalInterface
    private interface AfterCheck {
        void apply(Context ctx, Principal principal);
    }

    public AccessPolicy(
            Permissions permissions,
            ExperimentService experiments,
            RunService runs,
            DeploymentService deployments,
            Json json) {
        this.permissions = requireNonNull(permissions, "permissions is null");
        this.experiments = requireNonNull(experiments, "experiments is null");
        this.runs = requireNonNull(runs, "runs is null");
        this.deployments = requireNonNull(deployments, "deployments is null");
        this.json = requireNonNull(json, "json is null");
        publicRoutes();
        authRoutes();
        trackingRoutes();
        artifactRoutes();
        registryRoutes();
        axleRoutes();
        uiRoutes();
    }

    /** The rule of one route, by its method and path template as registered; empty for an unclassified route. */
    public Optional<AccessRule> rule(String method, String pathTemplate) {
        return Optional.ofNullable(rules.get(key(method, pathTemplate)));
    }

    /** Checks every matched request against its route's rule; call after the authenticator registered. */
    public void register(RoutesConfig routes) {
        routes.beforeMatched(this::check);
        routes.afterMatched(this::afterCall);
    }

    private void check(Context ctx) {
        Optional<Endpoint> endpoint = matched(ctx);
        if (endpoint.isEmpty()) {
            return;
        }
        AccessRule rule = rules.get(key(endpoint.get().method.name(), endpoint.get().path));
        if (rule == null) {
            throw denied("Route " + endpoint.get().method.name() + " " + endpoint.get().path
                    + " is not classified by the access policy, so nobody may call it.");
        }
        if (rule.kind() == Kind.PUBLIC) {
            return;
        }
        Principal principal = Authenticator.principal(ctx)
                .orElseThrow(() -> new AxleException(ErrorCode.UNAUTHENTICATED, "Credentials required"));
        try {
            rule.check().check(new AccessRequest(ctx, principal));
        } catch (AxleException refusal) {
            throw isUiPath(ctx.path()) ? PageRefusedException.of(refusal) : refusal;
        }
    }

    private void afterCall(Context ctx) {
        Optional<Endpoint> endpoint = matched(ctx);
        Optional<Principal> principal = Authenticator.principal(ctx);
        if (endpoint.isEmpty() || principal.isEmpty() || ctx.statusCode() != 200) {
            return;
        }
        AfterCheck after = afterChecks.get(key(endpoint.get().method.name(), endpoint.get().path));
        if (after != null) {
            after.apply(ctx, principal.get());
        }
    }

    static Optional<Endpoint> matched(Context ctx) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        if (endpoint == null || !endpoint.method.isHttpMethod()) {
            return Optional.empty();
        }
        return Optional.of(endpoint);
    }

    // ---- the route table

    private void publicRoutes() {
        rule("GET", "/health", publicRule());
        rule("GET", "/version", publicRule());
        rule("GET", "/static/{file}", publicRule());
        rule("GET", "/login", publicRule());
        rule("POST", "/login", publicRule());
        rule("POST", "/logout", publicRule());
    }

    private void authRoutes() {
        mlflow("POST", "users/create", admin());
        // the handlers let a user see and change only their own account
        mlflow("GET", "users/get", authenticated());
        mlflow("PATCH", "users/update-password", authenticated());
        mlflow("PATCH", "users/update-admin", admin());
        mlflow("DELETE", "users/delete", admin());
        for (String verb : List.of("POST create", "GET get", "PATCH update", "DELETE delete")) {
            String[] parts = verb.split(" ");
            mlflow(
                    parts[0],
                    "experiments/permissions/" + parts[1],
                    experiment(Permission.MANAGE, this::experimentParam));
            mlflow(parts[0], "registered-models/permissions/" + parts[1], model(Permission.MANAGE, this::nameParam));
        }
        rule("GET", "/api/2.0/axle/users/list", admin());
        rule("POST", "/api/2.0/axle/tokens", authenticated());
        rule("GET", "/api/2.0/axle/tokens", authenticated());
        rule("POST", "/api/2.0/axle/tokens/revoke", authenticated());
    }

    private void trackingRoutes() {
        mlflow("POST", "experiments/create", authenticated());
        afterMlflow("POST", "experiments/create", this::grantExperiment);
        mlflow("GET", "experiments/get", experiment(Permission.READ, this::experimentParam));
        mlflow("GET", "experiments/get-by-name", experiment(Permission.READ, this::experimentByName));
        for (String method : List.of("GET", "POST")) {
            mlflow(method, "experiments/search", authenticated());
            afterMlflow(method, "experiments/search", filter("experiments", "experiment_id", this::canReadExperiment));
        }
        mlflow("POST", "experiments/update", experiment(Permission.EDIT, this::experimentParam));
        mlflow("POST", "experiments/set-experiment-tag", experiment(Permission.EDIT, this::experimentParam));
        mlflow("POST", "experiments/delete-experiment-tag", experiment(Permission.EDIT, this::experimentParam));
        mlflow("POST", "experiments/delete", experiment(Permission.MANAGE, this::experimentParam));
        mlflow("POST", "experiments/restore", experiment(Permission.MANAGE, this::experimentParam));

        mlflow("POST", "runs/create", experiment(Permission.EDIT, this::experimentParam));
        mlflow("GET", "runs/get", experiment(Permission.READ, this::experimentOfRunParam));
        for (String path : List.of(
                "runs/update",
                "runs/log-metric",
                "runs/log-parameter",
                "runs/log-batch",
                "runs/log-model",
                "runs/log-inputs",
                "runs/set-tag",
                "runs/delete-tag")) {
            mlflow("POST", path, experiment(Permission.EDIT, this::experimentOfRunParam));
        }
        mlflow("POST", "runs/delete", experiment(Permission.MANAGE, this::experimentOfRunParam));
        mlflow("POST", "runs/restore", experiment(Permission.MANAGE, this::experimentOfRunParam));
        mlflow("POST", "runs/search", check(Kind.AUTHENTICATED, this::checkRunSearch));
        mlflow("GET", "metrics/get-history", experiment(Permission.READ, this::experimentOfRunParam));
        mlflow("GET", "metrics/get-history-bulk-interval", check(Kind.RESOURCE, this::checkBulkHistory));
    }

    private void artifactRoutes() {
        for (String prefix : List.of(ARTIFACT_PREFIX_API, ARTIFACT_PREFIX_AJAX)) {
            rule(
                    "GET",
                    prefix + "artifacts",
                    check(
                            Kind.RESOURCE,
                            request -> checkArtifactPath(
                                    request,
                                    Optional.ofNullable(request.ctx().queryParam("path"))
                                            .orElse(""),
                                    Permission.READ)));
            rule("GET", prefix + "artifacts/<path>", artifactPath(Permission.READ));
            rule("PUT", prefix + "artifacts/<path>", artifactPath(Permission.EDIT));
            rule("DELETE", prefix + "artifacts/<path>", artifactPath(Permission.MANAGE));
            rule("POST", prefix + "mpu/create/<path>", artifactPath(Permission.EDIT));
            rule("POST", prefix + "mpu/complete/<path>", artifactPath(Permission.EDIT));
            rule("POST", prefix + "mpu/abort/<path>", artifactPath(Permission.EDIT));
        }
        mlflow("GET", "artifacts/list", experiment(Permission.READ, this::experimentOfRunParam));
        rule("GET", "/get-artifact", experiment(Permission.READ, this::experimentOfRunParam));
    }

    private void registryRoutes() {
        mlflow("POST", "registered-models/create", authenticated());
        afterMlflow("POST", "registered-models/create", this::grantModel);
        mlflow("GET", "registered-models/get", model(Permission.READ, this::nameParam));
        mlflow("POST", "registered-models/rename", model(Permission.MANAGE, this::nameParam));
        mlflow("PATCH", "registered-models/update", model(Permission.EDIT, this::nameParam));
        mlflow("DELETE", "registered-models/delete", model(Permission.MANAGE, this::nameParam));
        mlflow("GET", "registered-models/search", authenticated());
        afterMlflow("GET", "registered-models/search", filter("registered_models", "name", this::canReadModel));
        mlflow("GET", "registered-models/get-latest-versions", model(Permission.READ, this::nameParam));
        mlflow("POST", "registered-models/get-latest-versions", model(Permission.READ, this::nameParam));
        mlflow("POST", "registered-models/set-tag", model(Permission.EDIT, this::nameParam));
        mlflow("DELETE", "registered-models/delete-tag", model(Permission.EDIT, this::nameParam));
        mlflow(
                "POST",
                "registered-models/alias",
                check(Kind.RESOURCE, request -> checkAlias(request, messageAlias(request))));
        mlflow(
                "DELETE",
                "registered-models/alias",
                check(Kind.RESOURCE, request -> checkAlias(request, messageAlias(request))));
        mlflow("GET", "registered-models/alias", model(Permission.READ, this::nameParam));
        mlflow("POST", "model-versions/create", model(Permission.EDIT, this::nameParam));
        mlflow("GET", "model-versions/get", model(Permission.READ, this::nameParam));
        mlflow("PATCH", "model-versions/update", model(Permission.EDIT, this::nameParam));
        mlflow("DELETE", "model-versions/delete", model(Permission.MANAGE, this::nameParam));
        mlflow("GET", "model-versions/search", authenticated());
        afterMlflow("GET", "model-versions/search", filter("model_versions", "name", this::canReadModel));
        mlflow(
                "POST",
                "model-versions/transition-stage",
                check(Kind.RESOURCE, request -> checkStage(request, nameParam(request))));
        mlflow("GET", "model-versions/get-download-uri", model(Permission.READ, this::nameParam));
        mlflow("POST", "model-versions/set-tag", model(Permission.EDIT, this::nameParam));
        mlflow("DELETE", "model-versions/delete-tag", model(Permission.EDIT, this::nameParam));
        rule("GET", "/api/2.0/axle/models/resolve", model(Permission.READ, this::nameParam));
        rule("GET", "/api/2.0/axle/model-versions/lineage", model(Permission.READ, this::nameParam));
        rule("GET", "/api/2.0/axle/registry/export", admin());
        rule("POST", "/api/2.0/axle/registry/import", admin());
        rule("GET", "/api/2.0/axle/registry/orphans", admin());
        rule("POST", "/api/2.0/axle/registry/orphans/delete", admin());
    }

    private void axleRoutes() {
        rule("GET", "/api/2.0/axle/events", admin());
        rule("GET", "/api/2.0/axle/audit", admin());
        for (String verb : List.of(
                "POST webhooks",
                "GET webhooks",
                "GET webhooks/{webhook_id}",
                "PATCH webhooks/{webhook_id}",
                "DELETE webhooks/{webhook_id}",
                "POST webhooks/{webhook_id}/test")) {
            String[] parts = verb.split(" ");
            mlflow(parts[0], parts[1], admin());
        }
        String webhooks = "/api/2.0/axle/webhooks";
        for (String verb : List.of(
                "POST ",
                "GET ",
                "GET /deliveries/{delivery_id}",
                "POST /deliveries/{delivery_id}/redeliver",
                "GET /{id}",
                "PATCH /{id}",
                "DELETE /{id}",
                "GET /{id}/deliveries",
                "POST /{id}/test")) {
            String[] parts = verb.split(" ", 2);
            rule(parts[0], webhooks + parts[1], admin());
        }
        rule(
                "POST",
                DEPLOYMENTS,
                check(
                        Kind.RESOURCE,
                        request -> requireModel(
                                request,
                                declaredModel(request)
                                        .orElseThrow(() -> AxleException.invalidParameter(
                                                "A deployment names its registered_model.")),
                                Permission.MANAGE)));
        rule("GET", DEPLOYMENTS, authenticated());
        afterChecks.put(key("GET", DEPLOYMENTS), filter("deployments", "registered_model", this::canReadModel));
        rule("GET", DEPLOYMENTS + "/{name}", deployment(Permission.READ));
        rule("PATCH", DEPLOYMENTS + "/{name}", check(Kind.RESOURCE, request -> {
            checkDeployment(request, Permission.MANAGE);
            declaredModel(request).ifPresent(model -> requireModel(request, model, Permission.MANAGE));
        }));
        rule("DELETE", DEPLOYMENTS + "/{name}", deployment(Permission.MANAGE));
        rule("GET", DEPLOYMENTS + "/{name}/render", deployment(Permission.READ));
        rule("GET", DEPLOYMENTS + "/{name}/history", deployment(Permission.READ));
        rule("POST", DEPLOYMENTS + "/{name}/rollback", deployment(Permission.MANAGE));
        rule("POST", DEPLOYMENTS + "/{name}/retry", deployment(Permission.MANAGE));
        rule("POST", POOLS, admin());
        rule("GET", POOLS, authenticated());
        rule("GET", POOLS + "/{name}", authenticated());
        rule("GET", POOLS + "/{name}/gpus", authenticated());
        rule("DELETE", POOLS + "/{name}", admin());
    }

    private void uiRoutes() {
        // lists are for any signed-in user: they show names, and each page behind them checks its resource
        rule("GET", "/", authenticated());
        rule("GET", "/models", authenticated());
        rule("GET", "/experiments", authenticated());
        rule("GET", "/deployments", authenticated());
        rule("GET", "/gpus", authenticated());
        rule("GET", "/models/{name}", model(Permission.READ, this::namePath));
        rule("GET", "/models/{name}/versions/{version}", model(Permission.READ, this::namePath));
        rule(
                "POST",
                "/models/{name}/aliases",
                check(
                        Kind.RESOURCE,
                        request -> checkAlias(
                                request, Optional.ofNullable(request.ctx().formParam("alias")))));
        rule(
                "POST",
                "/models/{name}/aliases/delete",
                check(
                        Kind.RESOURCE,
                        request -> checkAlias(
                                request, Optional.ofNullable(request.ctx().formParam("alias")))));
        rule("POST", "/models/{name}/stage", check(Kind.RESOURCE, request -> checkStage(request, namePath(request))));
        rule(
                "GET",
                "/experiments/{id}",
                experiment(Permission.READ, request -> request.ctx().pathParam("id")));
        for (String path : List.of(
                "/runs/{id}", "/runs/{id}/artifacts", "/runs/{id}/artifacts/view", "/runs/{id}/artifacts/raw")) {
            rule(
                    "GET",
                    path,
                    experiment(
                            Permission.READ,
                            request -> experimentOfRun(request.ctx().pathParam("id"))));
        }
        rule("GET", "/compare", check(Kind.RESOURCE, request -> {
            for (String value : request.ctx().queryParams("runs")) {
                for (String runId : value.split(",")) {
                    if (!runId.isBlank()) {
                        requireExperiment(request, experimentOfRun(runId.strip()), Permission.READ);
                    }
                }
            }
        }));
        rule("GET", "/deployments/{name}", deployment(Permission.READ));
        rule("POST", "/deployments/{name}/rollback", deployment(Permission.MANAGE));
        rule("POST", "/deployments/{name}/retry", deployment(Permission.MANAGE));
        rule("GET", "/webhooks", admin());
        rule("GET", "/webhooks/{id}", admin());
        rule("POST", "/webhooks/{id}/deliveries/{delivery}/redeliver", admin());
    }

    // ---- rule builders

    private void rule(String method, String path, AccessRule rule) {
        if (rules.putIfAbsent(key(method, path), rule) != null) {
            throw new IllegalStateException("Route " + method + " " + path + " classified twice");
        }
    }

    private void mlflow(String method, String path, AccessRule rule) {
        MlflowApi.PREFIXES.forEach(prefix -> rule(method, prefix + path, rule));
    }

    private void afterMlflow(String method, String path, AfterCheck after) {
        MlflowApi.PREFIXES.forEach(prefix -> afterChecks.put(key(method, prefix + path), after));
    }

    private static String key(String method, String path) {
        return method + " " + path;
    }

    private static AccessRule publicRule() {
        return new AccessRule(Kind.PUBLIC, request -> {});
    }

    private static AccessRule authenticated() {
        return new AccessRule(Kind.AUTHENTICATED, request -> {});
    }

    private static AccessRule admin() {
        return new AccessRule(Kind.ADMIN, request -> {
            if (!request.principal().admin()) {
                throw denied("Permission denied: only an admin may call "
                        + request.ctx().method() + " " + request.ctx().path() + ".");
            }
        });
    }

    private static AccessRule check(Kind kind, AccessRule.Check check) {
        return new AccessRule(kind, check);
    }

    @FunctionalInterface
    private interface Target {
        String of(AccessRequest request);
    }

    private AccessRule experiment(Permission needed, Target experimentId) {
        return check(Kind.RESOURCE, request -> requireExperiment(request, experimentId.of(request), needed));
    }

    private AccessRule model(Permission needed, Target name) {
        return check(Kind.RESOURCE, request -> requireModel(request, name.of(request), needed));
    }

    private AccessRule deployment(Permission needed) {
        return check(Kind.RESOURCE, request -> checkDeployment(request, needed));
    }

    // ---- checks

    private void requireExperiment(AccessRequest request, String experimentId, Permission needed) {
        Permission held = permissions.experiment(request.principal(), experimentId);
        if (held.compareTo(needed) < 0) {
            throw denied("Permission denied: " + needed + " on experiment " + experimentId + " is needed, user '"
                    + request.principal().username() + "' has " + held + ".");
        }
    }

    private void requireModel(AccessRequest request, String name, Permission needed) {
        Permission held = permissions.model(request.principal(), name);
        if (held.compareTo(needed) < 0) {
            throw denied("Permission denied: " + needed + " on registered model '" + name + "' is needed, user '"
                    + request.principal().username() + "' has " + held + ".");
        }
    }

    private void checkDeployment(AccessRequest request, Permission needed) {
        Deployment deployment = deployments.get(request.ctx().pathParam("name"));
        requireModel(request, deployment.registeredModel(), needed);
    }

    // moving or deleting an alias a deployment follows redeploys it: that takes MANAGE, as deleting one would
    private void checkAlias(AccessRequest request, Optional<String> alias) {
        String name = request.ctx().pathParamMap().containsKey("name") ? namePath(request) : nameParam(request);
        boolean followed = alias.isPresent()
                && followedBy(
                        name,
                        follows -> follows instanceof Follows.Alias followedAlias
                                && followedAlias.alias().equals(alias.get()));
        requireModel(request, name, followed ? Permission.MANAGE : Permission.EDIT);
    }

    private void checkStage(AccessRequest request, String name) {
        boolean followed = followedBy(name, follows -> follows instanceof Follows.Stage);
        requireModel(request, name, followed ? Permission.MANAGE : Permission.EDIT);
    }

    private boolean followedBy(String model, Predicate<Follows> follows) {
        return deployments.list().stream()
                .anyMatch(
                        deployment -> deployment.registeredModel().equals(model) && follows.test(deployment.follows()));
    }

    private void checkRunSearch(AccessRequest request) {
        for (String experimentId : message(request).strings("experiment_ids")) {
            requireExperiment(request, experimentId, Permission.READ);
        }
    }

    private void checkBulkHistory(AccessRequest request) {
        List<String> runIds = request.ctx().queryParams("run_ids");
        if (runIds.isEmpty()) {
            throw AxleException.invalidParameter("Missing value for required parameter 'run_ids'.");
        }
        for (String runId : runIds) {
            requireExperiment(request, experimentOfRun(runId), Permission.READ);
        }
    }

    private AccessRule artifactPath(Permission needed) {
        return check(
                Kind.RESOURCE,
                request -> checkArtifactPath(request, request.ctx().pathParam("path"), needed));
    }

    // proxied artifacts live at <experiment_id>/<run_id>/... and registry copies at models/<name>/...;
    // anything else belongs to no resource a user can hold, so only an admin reaches it
    private void checkArtifactPath(AccessRequest request, String path, Permission needed) {
        String[] segments = path.replaceFirst("^/+", "").split("/");
        if (segments.length >= 2 && segments[0].equals("models") && !segments[1].isEmpty()) {
            requireModel(request, segments[1], needed);
        } else if (segments.length >= 1 && segments[0].matches("[0-9]+")) {
            requireExperiment(request, segments[0], needed);
        } else if (!request.principal().admin()) {
            throw denied("Permission denied: artifact path '" + path + "' belongs to no experiment or registered "
                    + "model, so only an admin may reach it.");
        }
    }

    // ---- targets

    private RequestMessage message(AccessRequest request) {
        return Requests.message(request.ctx(), json);
    }

    private String experimentParam(AccessRequest request) {
        return message(request).requiredString("experiment_id");
    }

    private String experimentByName(AccessRequest request) {
        return experiments
                .getByName(message(request).requiredString("experiment_name"))
                .experimentId();
    }

    private String experimentOfRunParam(AccessRequest request) {
        RequestMessage message = message(request);
        Optional<String> runId = message.string("run_id").or(() -> message.string("run_uuid"));
        return experimentOfRun(runId.orElseThrow(
                () -> AxleException.invalidParameter("Missing value for required parameter 'run_id'.")));
    }

    private String experimentOfRun(String runId) {
        return runs.experimentId(runId);
    }

    private String nameParam(AccessRequest request) {
        return message(request).requiredString("name");
    }

    private String namePath(AccessRequest request) {
        return request.ctx().pathParam("name");
    }

    private Optional<String> messageAlias(AccessRequest request) {
        return message(request).string("alias");
    }

    private Optional<String> declaredModel(AccessRequest request) {
        JsonNode body = Requests.body(request.ctx(), json, Requests.MAX_BODY_BYTES, "");
        JsonNode model = body.path("registered_model");
        if (!model.isTextual()) {
            model = body.path("spec").path("registered_model");
        }
        return model.isTextual() ? Optional.of(model.asText()) : Optional.empty();
    }

    private boolean canReadExperiment(Principal principal, String experimentId) {
        return permissions.experiment(principal, experimentId).canRead();
    }

    private boolean canReadModel(Principal principal, String name) {
        return permissions.model(principal, name).canRead();
    }

    // ---- after a call

    private void grantExperiment(Context ctx, Principal principal) {
        String experimentId = responseJson(ctx).path("experiment_id").asText("");
        if (!experimentId.isEmpty()) {
            permissions.createExperiment(experimentId, principal.username(), Permission.MANAGE);
        }
    }

    private void grantModel(Context ctx, Principal principal) {
        String name = responseJson(ctx).path("registered_model").path("name").asText("");
        if (!name.isEmpty()) {
            permissions.createModel(name, principal.username(), Permission.MANAGE);
        }
    }

    // drops what the user may not read from a list; a page may come back shorter than asked, never leaking
    private AfterCheck filter(String arrayField, String idField, BiPredicate<Principal, String> readable) {
        return (ctx, principal) -> {
            if (principal.admin()) {
                return;
            }
            JsonNode response = responseJson(ctx);
            if (!(response.path(arrayField) instanceof ArrayNode items)) {
                return;
            }
            List<JsonNode> kept = new ArrayList<>();
            items.forEach(item -> {
                if (readable.test(principal, item.path(idField).asText(""))) {
                    kept.add(item);
                }
            });
            if (kept.size() == items.size()) {
                return;
            }
            items.removeAll();
            items.addAll(kept);
            ((ObjectNode) response).set(arrayField, items);
            ctx.result(json.writeBytes(response));
        };
    }

    private JsonNode responseJson(Context ctx) {
        InputStream result = ctx.resultInputStream();
        if (result == null) {
            return json.mapper().createObjectNode();
        }
        try {
            byte[] bytes = result.readAllBytes();
            ctx.result(bytes);
            return bytes.length == 0
                    ? json.mapper().createObjectNode()
                    : json.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static AxleException denied(String message) {
        return new AxleException(ErrorCode.PERMISSION_DENIED, message);
    }

    /** Whether a path is the web UI's (a browser page), not the REST API's. */
    static boolean isUiPath(String path) {
        return !path.startsWith("/api/") && !path.startsWith("/ajax-api/");
    }

    static boolean isGet(Context ctx) {
        return ctx.method() == HandlerType.GET;
    }
}
