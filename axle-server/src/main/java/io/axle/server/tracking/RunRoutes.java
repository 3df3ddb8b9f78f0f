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

/** MLflow's run endpoints: lifecycle, logging and search. */
public final class RunRoutes {
    private final RunService runs;
    private final Json json;

    public RunRoutes(RunService runs, Json json) {
        this.runs = requireNonNull(runs, "runs is null");
        this.json = requireNonNull(json, "json is null");
    }

    public void register(RoutesConfig routes) {
        MlflowApi.post(routes, "runs/create", this::create);
        MlflowApi.get(routes, "runs/get", this::get);
        MlflowApi.post(routes, "runs/update", this::update);
        MlflowApi.post(routes, "runs/delete", this::delete);
        MlflowApi.post(routes, "runs/restore", this::restore);
        MlflowApi.post(routes, "runs/search", this::search);
        MlflowApi.post(routes, "runs/log-metric", this::logMetric);
        MlflowApi.post(routes, "runs/log-parameter", this::logParam);
        MlflowApi.post(routes, "runs/log-batch", this::logBatch);
        MlflowApi.post(routes, "runs/log-model", this::logModel);
        MlflowApi.post(routes, "runs/log-inputs", this::logInputs);
        MlflowApi.post(routes, "runs/set-tag", this::setTag);
        MlflowApi.post(routes, "runs/delete-tag", this::deleteTag);
    }

    record RunResponse(Run run) {}

    record UpdateResponse(RunInfo runInfo) {}

    record SearchResponse(List<Run> runs, Optional<String> nextPageToken) {}

    record Empty() {}

    private void create(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        Run run = runs.create(
                request.string("experiment_id")
                        .filter(id -> !id.isEmpty())
                        .orElse(ExperimentService.DEFAULT_EXPERIMENT_ID),
                request.string("user_id").orElse(""),
                request.string("run_name"),
                request.int64("start_time"),
                TrackingRequests.tags(request, "tags"));
        json.respond(ctx, new RunResponse(run));
    }

    private void get(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        json.respond(ctx, new RunResponse(runs.get(TrackingRequests.runId(request))));
    }

    private void update(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        RunInfo info = runs.update(
                TrackingRequests.runId(request),
                request.enumText("status"),
                request.int64("end_time"),
                request.string("run_name"));
        json.respond(ctx, new UpdateResponse(info));
    }

    private void delete(Context ctx) {
        runs.delete(TrackingRequests.runId(Requests.message(ctx, json)));
        json.respond(ctx, new Empty());
    }

    private void restore(Context ctx) {
        runs.restore(TrackingRequests.runId(Requests.message(ctx, json)));
        json.respond(ctx, new Empty());
    }

    private void search(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        Page<Run> page = runs.search(
                request.strings("experiment_ids"),
                request.string("filter").orElse(""),
                TrackingRequests.viewType(request, "run_view_type"),
                request.int32("max_results").orElse(0),
                request.strings("order_by"),
                request.string("page_token"));
        json.respond(ctx, new SearchResponse(page.items(), page.nextPageToken()));
    }

    private void logMetric(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        runs.logMetric(TrackingRequests.runId(request), TrackingRequests.metric(request));
        json.respond(ctx, new Empty());
    }

    private void logParam(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        runs.logParam(
                TrackingRequests.runId(request),
                new Param(request.requiredString("key"), request.string("value").orElse("")));
        json.respond(ctx, new Empty());
    }

    private void logBatch(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        runs.logBatch(
                request.requiredString("run_id"),
                TrackingRequests.metrics(request, "metrics"),
                TrackingRequests.params(request, "params"),
                TrackingRequests.tags(request, "tags"));
        json.respond(ctx, new Empty());
    }

    private void logModel(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        runs.logModel(request.requiredString("run_id"), request.requiredString("model_json"));
        json.respond(ctx, new Empty());
    }

    private void logInputs(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        runs.logInputs(request.requiredString("run_id"), TrackingRequests.datasetInputs(request, "datasets"));
        json.respond(ctx, new Empty());
    }

    private void setTag(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        runs.setTag(
                TrackingRequests.runId(request),
                new Tag(request.requiredString("key"), request.string("value").orElse("")));
        json.respond(ctx, new Empty());
    }

    private void deleteTag(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        runs.deleteTag(request.requiredString("run_id"), request.requiredString("key"));
        json.respond(ctx, new Empty());
    }
}
