package io.axle.server.auth;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.server.http.Json;
import io.axle.server.http.MlflowApi;
import io.axle.server.http.RequestMessage;
import io.axle.server.http.Requests;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * MLflow's auth API (users, experiment and registered-model permissions) and Axle's token API. Only admins manage
 * users (anyone may change their own password); permissions need MANAGE on the resource. With auth off there is no
 * caller to check, and every request may do everything, as every other route allows.
 */
public final class AuthRoutes {
    private static final String TOKENS = "/api/2.0/axle/tokens";
    private static final int MAX_TOKEN_DAYS = 3650;

    private final Auth auth;
    private final Json json;

    public AuthRoutes(Auth auth, Json json) {
        this.auth = requireNonNull(auth, "auth is null");
        this.json = requireNonNull(json, "json is null");
    }

    public void register(RoutesConfig routes) {
        MlflowApi.post(routes, "users/create", this::createUser);
        MlflowApi.get(routes, "users/get", this::getUser);
        MlflowApi.patch(routes, "users/update-password", this::updatePassword);
        MlflowApi.patch(routes, "users/update-admin", this::updateAdmin);
        MlflowApi.delete(routes, "users/delete", this::deleteUser);
        MlflowApi.post(routes, "experiments/permissions/create", this::createExperimentPermission);
        MlflowApi.get(routes, "experiments/permissions/get", this::getExperimentPermission);
        MlflowApi.patch(routes, "experiments/permissions/update", this::updateExperimentPermission);
        MlflowApi.delete(routes, "experiments/permissions/delete", this::deleteExperimentPermission);
        MlflowApi.post(routes, "registered-models/permissions/create", this::createModelPermission);
        MlflowApi.get(routes, "registered-models/permissions/get", this::getModelPermission);
        MlflowApi.patch(routes, "registered-models/permissions/update", this::updateModelPermission);
        MlflowApi.delete(routes, "registered-models/permissions/delete", this::deleteModelPermission);
        routes.get("/api/2.0/axle/users/list", this::listUsers);
        routes.post(TOKENS, this::createToken);
        routes.get(TOKENS, this::listTokens);
        routes.post(TOKENS + "/revoke", this::revokeToken);
    }

    /** MLflow's User message. */
    record UserView(
            long id,
            String username,
            boolean isAdmin,
            List<ExperimentPermission> experimentPermissions,
            List<RegisteredModelPermission> registeredModelPermissions) {}

    record UserResponse(UserView user) {}

    record UsersResponse(List<UserView> users) {}

    record ExperimentPermissionResponse(ExperimentPermission experimentPermission) {}

    record ModelPermissionResponse(RegisteredModelPermission registeredModelPermission) {}

    record CreatedTokenResponse(Token token, String secret) {}

    record TokenResponse(Token token) {}

    record TokensResponse(List<Token> tokens) {}

    // ---- users

    private void createUser(Context ctx) {
        requireAdmin(ctx);
        RequestMessage request = Requests.message(ctx, json);
        User user = auth.users().create(request.requiredString("username"), request.requiredString("password"), false);
        json.respond(ctx, new UserResponse(view(user)));
    }

    private void getUser(Context ctx) {
        String username = Requests.message(ctx, json).requiredString("username");
        requireSelfOrAdmin(ctx, username);
        json.respond(ctx, new UserResponse(view(auth.users().get(username))));
    }

    private void updatePassword(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        String username = request.requiredString("username");
        requireSelfOrAdmin(ctx, username);
        auth.users().setPassword(username, request.requiredString("password"));
        json.respond(ctx, Map.of());
    }

    private void updateAdmin(Context ctx) {
        requireAdmin(ctx);
        RequestMessage request = Requests.message(ctx, json);
        auth.users().setAdmin(request.requiredString("username"), requiredBoolean(request, "is_admin"));
        json.respond(ctx, Map.of());
    }

    private void deleteUser(Context ctx) {
        requireAdmin(ctx);
        auth.users().delete(Requests.message(ctx, json).requiredString("username"));
        json.respond(ctx, Map.of());
    }

    private void listUsers(Context ctx) {
        requireAdmin(ctx);
        json.respond(
                ctx,
                new UsersResponse(auth.users().list().stream().map(this::view).toList()));
    }

    private UserView view(User user) {
        return new UserView(
                user.id(),
                user.username(),
                user.admin(),
                auth.permissions().experimentsOf(user.username()),
                auth.permissions().modelsOf(user.username()));
    }

    // ---- experiment permissions

    private void createExperimentPermission(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        String experimentId = requireManageExperiment(ctx, request);
        json.respond(
                ctx,
                new ExperimentPermissionResponse(auth.permissions()
                        .createExperiment(experimentId, request.requiredString("username"), permission(request))));
    }

    private void getExperimentPermission(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        String experimentId = requireManageExperiment(ctx, request);
        json.respond(
                ctx,
                new ExperimentPermissionResponse(
                        auth.permissions().getExperiment(experimentId, request.requiredString("username"))));
    }

    private void updateExperimentPermission(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        String experimentId = requireManageExperiment(ctx, request);
        auth.permissions().updateExperiment(experimentId, request.requiredString("username"), permission(request));
        json.respond(ctx, Map.of());
    }

    private void deleteExperimentPermission(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        String experimentId = requireManageExperiment(ctx, request);
        auth.permissions().deleteExperiment(experimentId, request.requiredString("username"));
        json.respond(ctx, Map.of());
    }

    private String requireManageExperiment(Context ctx, RequestMessage request) {
        String experimentId = request.requiredString("experiment_id");
        caller(ctx).ifPresent(principal -> {
            if (!auth.permissions().experiment(principal, experimentId).canManage()) {
                throw denied("Managing permissions of experiment " + experimentId + " needs MANAGE on it.");
            }
        });
        return experimentId;
    }

    // ---- registered-model permissions

    private void createModelPermission(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        String name = requireManageModel(ctx, request);
        json.respond(
                ctx,
                new ModelPermissionResponse(
                        auth.permissions().createModel(name, request.requiredString("username"), permission(request))));
    }

    private void getModelPermission(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        String name = requireManageModel(ctx, request);
        json.respond(
                ctx,
                new ModelPermissionResponse(auth.permissions().getModel(name, request.requiredString("username"))));
    }

    private void updateModelPermission(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        String name = requireManageModel(ctx, request);
        auth.permissions().updateModel(name, request.requiredString("username"), permission(request));
        json.respond(ctx, Map.of());
    }

    private void deleteModelPermission(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        String name = requireManageModel(ctx, request);
        auth.permissions().deleteModel(name, request.requiredString("username"));
        json.respond(ctx, Map.of());
    }

    private String requireManageModel(Context ctx, RequestMessage request) {
        String name = request.requiredString("name");
        caller(ctx).ifPresent(principal -> {
            if (!auth.permissions().model(principal, name).canManage()) {
                throw denied("Managing permissions of registered model '" + name + "' needs MANAGE on it.");
            }
        });
        return name;
    }

    // ---- tokens

    private void createToken(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        String username = tokenOwner(ctx, request.string("username"));
        Optional<Duration> lifetime = lifetime(request.int32("expires_in_days"));
        CreatedToken created =
                auth.tokens().create(username, request.string("name").orElse("token"), lifetime);
        json.respond(ctx, new CreatedTokenResponse(auth.tokens().get(created.id()), created.secret()));
    }

    private void listTokens(Context ctx) {
        Optional<String> username = Requests.message(ctx, json).string("username");
        Optional<Principal> caller = caller(ctx);
        List<Token> tokens;
        if (username.isPresent()) {
            tokens = auth.tokens().list(tokenOwner(ctx, username));
        } else if (caller.isEmpty() || caller.get().admin()) {
            tokens = auth.tokens().listAll();
        } else {
            tokens = auth.tokens().list(caller.get().username());
        }
        json.respond(ctx, new TokensResponse(tokens));
    }

    private void revokeToken(Context ctx) {
        String id = Requests.message(ctx, json).requiredString("id");
        Token token = auth.tokens().get(id);
        requireSelfOrAdmin(ctx, token.username());
        json.respond(ctx, new TokenResponse(auth.tokens().revoke(id)));
    }

    /** Whose token a request is about: the caller's own, or anyone's for an admin (or with auth off). */
    private String tokenOwner(Context ctx, Optional<String> requested) {
        Optional<Principal> caller = caller(ctx);
        if (requested.isPresent()) {
            requireSelfOrAdmin(ctx, requested.get());
            return requested.get();
        }
        return caller.map(Principal::username)
                .orElseThrow(() -> AxleException.invalidParameter(
                        "Authentication is off, so there is no caller to make the token for: pass 'username'."));
    }

    private static Optional<Duration> lifetime(Optional<Integer> days) {
        if (days.isEmpty()) {
            return Optional.of(Tokens.DEFAULT_LIFETIME);
        }
        int value = days.get();
        if (value < 0 || value > MAX_TOKEN_DAYS) {
            throw AxleException.invalidParameter("'expires_in_days' must be between 1 and " + MAX_TOKEN_DAYS
                    + ", or 0 for a token that never expires; not " + value + ".");
        }
        return value == 0 ? Optional.empty() : Optional.of(Duration.ofDays(value));
    }

    // ---- checks

    /** The signed-in caller; empty when auth is off. */
    private Optional<Principal> caller(Context ctx) {
        Optional<Principal> principal = Authenticator.principal(ctx);
        if (principal.isEmpty() && auth.config().enabled()) {
            // the global check runs first; this only guards against a route registered outside it
            throw new AxleException(ErrorCode.UNAUTHENTICATED, "Credentials required.");
        }
        return principal;
    }

    private void requireAdmin(Context ctx) {
        caller(ctx).filter(principal -> !principal.admin()).ifPresent(principal -> {
            throw denied("Only an admin may do this; '" + principal.username() + "' is not one.");
        });
    }

    private void requireSelfOrAdmin(Context ctx, String username) {
        caller(ctx)
                .filter(principal -> !principal.admin() && !principal.username().equals(username))
                .ifPresent(principal -> {
                    throw denied("'" + principal.username() + "' may not act for user '" + username + "'.");
                });
    }

    private static Permission permission(RequestMessage request) {
        return Permission.parse(request.requiredString("permission"));
    }

    private static boolean requiredBoolean(RequestMessage request, String field) {
        return request.bool(field)
                .orElseThrow(() -> AxleException.invalidParameter(
                        "Missing value for required parameter '" + field + "': true or false."));
    }

    private static AxleException denied(String message) {
        return new AxleException(ErrorCode.PERMISSION_DENIED, message);
    }
}
