package io.axle.server.tracking;

import static java.util.Objects.requireNonNull;

import io.axle.server.http.Json;
import io.axle.server.http.MlflowApi;
import io.axle.server.http.RequestMessage;
import io.axle.server.http.Requests;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;

/** MLflow's experiment endpoints. */
public final class ExperimentRoutes {
    private final ExperimentService experiments;
    private final Json json;

    public ExperimentRoutes(ExperimentService experiments, Json json) {
        this.experiments = requireNonNull(experiments, "experiments is null");
        this.json = requireNonNull(json, "json is null");
    }

    public void register(RoutesConfig routes) {
        MlflowApi.post(routes, "experiments/create", this::create);
        MlflowApi.get(routes, "experiments/get", this::get);
        MlflowApi.get(routes, "experiments/get-by-name", this::getByName);
        MlflowApi.get(routes, "experiments/search", this::search);
        MlflowApi.post(routes, "experiments/search", this::search);
        MlflowApi.post(routes, "experiments/update", this::update);
        MlflowApi.post(routes, "experiments/delete", this::delete);
        MlflowApi.post(routes, "experiments/restore", this::restore);
        MlflowApi.post(routes, "experiments/set-experiment-tag", this::setTag);
        MlflowApi.post(routes, "experiments/delete-experiment-tag", this::deleteTag);
    }

    record CreateResponse(String experimentId) {}

    record ExperimentResponse(Experiment experiment) {}

    record SearchResponse(List<Experiment> experiments, Optional<String> nextPageToken) {}

    record Empty() {}

    private void create(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        String id = experiments.create(
                request.requiredString("name"),
                request.string("artifact_location").filter(location -> !location.isEmpty()),
                TrackingRequests.tags(request, "tags"));
        json.respond(ctx, new CreateResponse(id));
    }

    private void get(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        json.respond(ctx, new ExperimentResponse(experiments.get(request.requiredString("experiment_id"))));
    }

    private void getByName(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        json.respond(ctx, new ExperimentResponse(experiments.getByName(request.requiredString("experiment_name"))));
    }

    private void search(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        Page<Experiment> page = experiments.search(
                request.string("filter").orElse(""),
                TrackingRequests.viewType(request, "view_type"),
                request.int32("max_results").orElse(0),
                request.strings("order_by"),
                request.string("page_token"));
        json.respond(ctx, new SearchResponse(page.items(), page.nextPageToken()));
    }

    private void update(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        String id = request.requiredString("experiment_id");
        request.string("new_name").filter(name -> !name.isEmpty()).ifPresent(name -> experiments.rename(id, name));
        json.respond(ctx, new Empty());
    }

    private void delete(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        experiments.delete(request.requiredString("experiment_id"));
        json.respond(ctx, new Empty());
    }

    private void restore(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        experiments.restore(request.requiredString("experiment_id"));
        json.respond(ctx, new Empty());
    }

    private void setTag(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        experiments.setTag(
                request.requiredString("experiment_id"),
                new Tag(request.requiredString("key"), request.string("value").orElse("")));
        json.respond(ctx, new Empty());
    }

    private void deleteTag(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        experiments.deleteTag(request.requiredString("experiment_id"), request.requiredString("key"));
        json.respond(ctx, new Empty());
    }
}
