package io.axle.server.deploy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.common.AxleException;
import io.axle.gpu.placement.ByteSize;
import io.axle.server.http.Actors;
import io.axle.server.http.Json;
import io.axle.server.http.RequestMessage;
import io.axle.server.http.Requests;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Deployments under {@code /api/2.0/axle/deployments} and GPU pools under {@code /api/2.0/axle/gpu-pools}. */
public final class DeploymentRoutes {
    private static final String BASE = "/api/2.0/axle/deployments";
    private static final String POOLS = "/api/2.0/axle/gpu-pools";
    private static final String BODY_HINT = "A deployment is a small JSON object.";

    private final DeploymentService deployments;
    private final Json json;

    public DeploymentRoutes(DeploymentService deployments, Json json) {
        this.deployments = requireNonNull(deployments, "deployments is null");
        this.json = requireNonNull(json, "json is null");
    }

    public void register(RoutesConfig routes) {
        routes.post(BASE, this::create);
        routes.get(BASE, this::list);
        routes.get(BASE + "/{name}", this::get);
        routes.patch(BASE + "/{name}", this::update);
        routes.delete(BASE + "/{name}", this::delete);
        routes.get(BASE + "/{name}/render", this::render);
        routes.get(BASE + "/{name}/history", this::history);
        routes.post(BASE + "/{name}/rollback", this::rollback);
        routes.post(BASE + "/{name}/retry", this::retry);
        routes.post(POOLS, this::putPool);
        routes.get(POOLS, this::pools);
        routes.get(POOLS + "/{name}", this::pool);
        routes.get(POOLS + "/{name}/gpus", this::poolGpus);
        routes.delete(POOLS + "/{name}", this::deletePool);
    }

    record DeploymentResponse(Deployment deployment) {}

    record DeploymentsResponse(List<Deployment> deployments) {}

    /** {@code files}: path in the GitOps repository → content (UTF-8). */
    record RenderResponse(String name, long version, String directory, Map<String, String> files) {}

    record HistoryResponse(List<DeploymentRevision> revisions) {}

    record RollbackResponse(Deployment deployment, long toVersion) {}

    record PoolResponse(GpuPool pool) {}

    record PoolsResponse(List<GpuPool> pools) {}

    record PoolGpusResponse(String pool, List<DeploymentService.ExporterReport> exporters) {}

    private void create(Context ctx) {
        JsonNode body = Requests.body(ctx, json, Requests.MAX_BODY_BYTES, BODY_HINT);
        json.respond(ctx, new DeploymentResponse(deployments.create(body, Actors.of(ctx))));
    }

    private void list(Context ctx) {
        json.respond(ctx, new DeploymentsResponse(deployments.list()));
    }

    private void get(Context ctx) {
        json.respond(ctx, new DeploymentResponse(deployments.get(ctx.pathParam("name"))));
    }

    private void update(Context ctx) {
        JsonNode body = Requests.body(ctx, json, Requests.MAX_BODY_BYTES, BODY_HINT);
        json.respond(ctx, new DeploymentResponse(deployments.update(ctx.pathParam("name"), body, Actors.of(ctx))));
    }

    private void delete(Context ctx) {
        deployments.delete(ctx.pathParam("name"), Actors.of(ctx));
        json.respond(ctx, Map.of());
    }

    private void render(Context ctx) {
        String name = ctx.pathParam("name");
        DeploymentService.RenderedRelease rendered =
                deployments.render(name, Requests.message(ctx, json).int64("version"));
        Map<String, String> files = new TreeMap<>();
        rendered.files()
                .files()
                .forEach((path, content) -> files.put(path, new String(content, StandardCharsets.UTF_8)));
        json.respond(
                ctx,
                new RenderResponse(name, rendered.version(), rendered.files().directory(), files));
    }

    private void history(Context ctx) {
        int maxResults =
                Requests.message(ctx, json).int32("max_results").orElse(DeploymentService.DEFAULT_HISTORY_RESULTS);
        json.respond(ctx, new HistoryResponse(deployments.history(ctx.pathParam("name"), maxResults)));
    }

    private void rollback(Context ctx) {
        String name = ctx.pathParam("name");
        Optional<Long> to = Requests.message(ctx, json).int64("to_version");
        long target = deployments.rollback(name, to, Actors.of(ctx));
        json.respond(ctx, new RollbackResponse(deployments.get(name), target));
    }

    private void retry(Context ctx) {
        json.respond(ctx, new DeploymentResponse(deployments.retry(ctx.pathParam("name"), Actors.of(ctx))));
    }

    private void putPool(Context ctx) {
        json.respond(ctx, new PoolResponse(deployments.putPool(pool(Requests.message(ctx, json)))));
    }

    /** A configured shape (nodes and GPUs per node default to 1), exporters, or both. */
    private static GpuPool pool(RequestMessage request) {
        String name = request.requiredString("name");
        List<URI> exporters = request.strings("exporters").stream()
                .map(exporter -> GpuPool.exporter(name, exporter))
                .toList();
        Optional<String> memory = request.enumText("memory_per_gpu");
        if (memory.isEmpty() && exporters.isEmpty()) {
            throw AxleException.invalidParameter("Missing value for required parameter 'memory_per_gpu' (or give"
                    + " 'exporters', the axle gpu exporters to learn the pool from).");
        }
        int defaultCount = memory.isPresent() ? 1 : 0;
        return new GpuPool(
                name,
                request.int32("nodes").orElse(defaultCount),
                request.int32("gpus_per_node").orElse(defaultCount),
                memory.map(text -> ByteSize.parse(text).bytes()).orElse(0L),
                exporters);
    }

    private void pools(Context ctx) {
        json.respond(ctx, new PoolsResponse(deployments.pools()));
    }

    private void pool(Context ctx) {
        json.respond(ctx, new PoolResponse(deployments.getPool(ctx.pathParam("name"))));
    }

    private void poolGpus(Context ctx) {
        String name = ctx.pathParam("name");
        json.respond(ctx, new PoolGpusResponse(name, deployments.poolGpus(name)));
    }

    private void deletePool(Context ctx) {
        deployments.deletePool(ctx.pathParam("name"));
        json.respond(ctx, Map.of());
    }
}
