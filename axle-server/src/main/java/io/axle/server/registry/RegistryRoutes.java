package io.axle.server.registry;

import static java.util.Objects.requireNonNull;

import io.axle.server.http.Actors;
import io.axle.server.http.Json;
import io.axle.server.http.MlflowApi;
import io.axle.server.http.RequestMessage;
import io.axle.server.http.Requests;
import io.axle.server.tracking.Page;
import io.axle.server.tracking.Tag;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;

/** MLflow's model registry endpoints (REST API 2.0, MLflow 2.17 shapes). */
public final class RegistryRoutes {
    private final RegistryService registry;
    private final Json json;

    public RegistryRoutes(RegistryService registry, Json json) {
        this.registry = requireNonNull(registry, "registry is null");
        this.json = requireNonNull(json, "json is null");
    }

    public void register(RoutesConfig routes) {
        MlflowApi.post(routes, "registered-models/create", this::createModel);
        MlflowApi.get(routes, "registered-models/get", this::getModel);
        MlflowApi.post(routes, "registered-models/rename", this::renameModel);
        MlflowApi.patch(routes, "registered-models/update", this::updateModel);
        MlflowApi.delete(routes, "registered-models/delete", this::deleteModel);
        MlflowApi.get(routes, "registered-models/search", this::searchModels);
        MlflowApi.get(routes, "registered-models/get-latest-versions", this::latestVersions);
        MlflowApi.post(routes, "registered-models/get-latest-versions", this::latestVersions);
        MlflowApi.post(routes, "registered-models/set-tag", this::setModelTag);
        MlflowApi.delete(routes, "registered-models/delete-tag", this::deleteModelTag);
        MlflowApi.post(routes, "registered-models/alias", this::setAlias);
        MlflowApi.delete(routes, "registered-models/alias", this::deleteAlias);
        MlflowApi.get(routes, "registered-models/alias", this::getByAlias);
        MlflowApi.post(routes, "model-versions/create", this::createVersion);
        MlflowApi.get(routes, "model-versions/get", this::getVersion);
        MlflowApi.patch(routes, "model-versions/update", this::updateVersion);
        MlflowApi.delete(routes, "model-versions/delete", this::deleteVersion);
        MlflowApi.get(routes, "model-versions/search", this::searchVersions);
        MlflowApi.post(routes, "model-versions/transition-stage", this::transitionStage);
        MlflowApi.get(routes, "model-versions/get-download-uri", this::downloadUri);
        MlflowApi.post(routes, "model-versions/set-tag", this::setVersionTag);
        MlflowApi.delete(routes, "model-versions/delete-tag", this::deleteVersionTag);
    }

    record ModelResponse(RegisteredModel registeredModel) {}

    record ModelsResponse(List<RegisteredModel> registeredModels, Optional<String> nextPageToken) {}

    record VersionResponse(ModelVersion modelVersion) {}

    record VersionsResponse(List<ModelVersion> modelVersions, Optional<String> nextPageToken) {}

    record LatestVersionsResponse(List<ModelVersion> modelVersions) {}

    record DownloadUriResponse(String artifactUri) {}

    record Empty() {}

    private void createModel(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        json.respond(
                ctx,
                new ModelResponse(registry.createModel(
                        request.requiredString("name"), tags(request), request.string("description"), Actors.of(ctx))));
    }

    private void getModel(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        json.respond(ctx, new ModelResponse(registry.getModel(request.requiredString("name"))));
    }

    private void renameModel(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        json.respond(
                ctx,
                new ModelResponse(registry.renameModel(
                        request.requiredString("name"), request.requiredString("new_name"), Actors.of(ctx))));
    }

    private void updateModel(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        json.respond(
                ctx,
                new ModelResponse(registry.updateModel(
                        request.requiredString("name"), request.string("description"), Actors.of(ctx))));
    }

    private void deleteModel(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        registry.deleteModel(request.requiredString("name"), Actors.of(ctx));
        json.respond(ctx, new Empty());
    }

    private void searchModels(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        Page<RegisteredModel> page = registry.searchModels(
                request.string("filter").orElse(""),
                request.int32("max_results").orElse(0),
                request.strings("order_by"),
                request.string("page_token"));
        json.respond(ctx, new ModelsResponse(page.items(), page.nextPageToken()));
    }

    private void latestVersions(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        json.respond(
                ctx,
                new LatestVersionsResponse(
                        registry.latestVersions(request.requiredString("name"), request.strings("stages"))));
    }

    private void setModelTag(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        registry.setModelTag(request.requiredString("name"), tag(request), Actors.of(ctx));
        json.respond(ctx, new Empty());
    }

    private void deleteModelTag(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        registry.deleteModelTag(request.requiredString("name"), request.requiredString("key"), Actors.of(ctx));
        json.respond(ctx, new Empty());
    }

    private void setAlias(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        registry.setAlias(
                request.requiredString("name"), request.requiredString("alias"), version(request), Actors.of(ctx));
        json.respond(ctx, new Empty());
    }

    private void deleteAlias(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        registry.deleteAlias(request.requiredString("name"), request.requiredString("alias"), Actors.of(ctx));
        json.respond(ctx, new Empty());
    }

    private void getByAlias(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        json.respond(
                ctx,
                new VersionResponse(
                        registry.versionByAlias(request.requiredString("name"), request.requiredString("alias"))));
    }

    private void createVersion(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        NewVersion version = new NewVersion(
                request.requiredString("name"),
                request.requiredString("source"),
                request.string("run_id"),
                tags(request),
                request.string("run_link").filter(link -> !link.isEmpty()),
                request.string("description"));
        json.respond(ctx, new VersionResponse(registry.createVersion(version, Actors.of(ctx))));
    }

    private void getVersion(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        json.respond(ctx, new VersionResponse(registry.getVersion(request.requiredString("name"), version(request))));
    }

    private void updateVersion(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        json.respond(
                ctx,
                new VersionResponse(registry.updateVersion(
                        request.requiredString("name"),
                        version(request),
                        request.string("description"),
                        Actors.of(ctx))));
    }

    private void deleteVersion(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        registry.deleteVersion(request.requiredString("name"), version(request), Actors.of(ctx));
        json.respond(ctx, new Empty());
    }

    private void searchVersions(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        Page<ModelVersion> page = registry.searchVersions(
                request.string("filter").orElse(""),
                request.int32("max_results").orElse(0),
                request.strings("order_by"),
                request.string("page_token"));
        json.respond(ctx, new VersionsResponse(page.items(), page.nextPageToken()));
    }

    private void transitionStage(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        json.respond(
                ctx,
                new VersionResponse(registry.transitionStage(
                        request.requiredString("name"),
                        version(request),
                        request.requiredString("stage"),
                        request.bool("archive_existing_versions").orElse(false),
                        Actors.of(ctx))));
    }

    private void downloadUri(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        json.respond(
                ctx, new DownloadUriResponse(registry.downloadUri(request.requiredString("name"), version(request))));
    }

    private void setVersionTag(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        registry.setVersionTag(request.requiredString("name"), version(request), tag(request), Actors.of(ctx));
        json.respond(ctx, new Empty());
    }

    private void deleteVersionTag(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        registry.deleteVersionTag(
                request.requiredString("name"), version(request), request.requiredString("key"), Actors.of(ctx));
        json.respond(ctx, new Empty());
    }

    // protobuf's JSON sends the version as a string; a number is read the same way
    static String version(RequestMessage request) {
        return request.enumText("version")
                .filter(text -> !text.isEmpty())
                .orElseThrow(() -> io.axle.common.AxleException.invalidParameter(
                        "Missing value for required parameter 'version'."));
    }

    private static Tag tag(RequestMessage request) {
        return new Tag(request.requiredString("key"), request.string("value").orElse(""));
    }

    private static List<Tag> tags(RequestMessage request) {
        return request.messages("tags").stream().map(RegistryRoutes::tag).toList();
    }
}
