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

/** MLflow's metric history endpoints. */
public final class MetricRoutes {
    private final RunService runs;
    private final Json json;

    public MetricRoutes(RunService runs, Json json) {
        this.runs = requireNonNull(runs, "runs is null");
        this.json = requireNonNull(json, "json is null");
    }

    public void register(RoutesConfig routes) {
        MlflowApi.get(routes, "metrics/get-history", this::history);
        MlflowApi.get(routes, "metrics/get-history-bulk-interval", this::historyBulkInterval);
    }

    record HistoryResponse(List<Metric> metrics, Optional<String> nextPageToken) {}

    record BulkResponse(List<MetricWithRunId> metrics) {}

    private void history(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        Page<Metric> page = runs.history(
                TrackingRequests.runId(request),
                request.requiredString("metric_key"),
                request.int32("max_results"),
                request.string("page_token"));
        json.respond(ctx, new HistoryResponse(page.items(), page.nextPageToken()));
    }

    private void historyBulkInterval(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        List<MetricWithRunId> points = runs.historyBulkInterval(
                request.strings("run_ids"),
                request.requiredString("metric_key"),
                request.int64("start_step"),
                request.int64("end_step"),
                request.int32("max_results"));
        json.respond(ctx, new BulkResponse(points));
    }
}
