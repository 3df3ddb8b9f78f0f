package io.axle.server.artifacts;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.server.http.Json;
import io.axle.server.http.MlflowApi;
import io.axle.server.http.RequestMessage;
import io.axle.server.http.Requests;
import io.axle.storage.UploadedPart;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.List;

/** MLflow's artifact proxy ({@code mlflow-artifacts}) and its run artifact endpoints. */
public final class ArtifactRoutes {
    private static final List<String> PROXY_PREFIXES =
            List.of("/api/2.0/mlflow-artifacts/", "/ajax-api/2.0/mlflow-artifacts/");

    private final ArtifactService service;
    private final Json json;

    public ArtifactRoutes(ArtifactService service, Json json) {
        this.service = requireNonNull(service, "service is null");
        this.json = requireNonNull(json, "json is null");
    }

    public void register(RoutesConfig routes) {
        for (String prefix : PROXY_PREFIXES) {
            routes.get(prefix + "artifacts", proxied(this::list));
            routes.get(prefix + "artifacts/<path>", proxied(this::download));
            routes.put(prefix + "artifacts/<path>", proxied(this::upload));
            routes.delete(prefix + "artifacts/<path>", proxied(this::delete));
            routes.post(prefix + "mpu/create/<path>", proxied(this::createMultipartUpload));
            routes.post(prefix + "mpu/complete/<path>", proxied(this::completeMultipartUpload));
            routes.post(prefix + "mpu/abort/<path>", proxied(this::abortMultipartUpload));
        }
        MlflowApi.get(routes, "artifacts/list", this::listRun);
        routes.get("/get-artifact", this::getRunArtifact);
    }

    private Handler proxied(Handler handler) {
        return ctx -> {
            service.requireServing(ctx.endpoint().path);
            handler.handle(ctx);
        };
    }

    private void list(Context ctx) {
        String path = Requests.message(ctx, json).string("path").orElse("");
        json.respond(ctx, new ArtifactList(service.list(path)));
    }

    private void download(Context ctx) {
        send(ctx, service.download(ctx.pathParam("path")));
    }

    private void upload(Context ctx) {
        service.upload(ctx.pathParam("path"), ctx.bodyInputStream(), ctx.req().getContentLengthLong());
        json.respond(ctx, new EmptyResponse());
    }

    private void delete(Context ctx) {
        service.delete(ctx.pathParam("path"));
        json.respond(ctx, new EmptyResponse());
    }

    private void createMultipartUpload(Context ctx) {
        RequestMessage request = multipartRequest(ctx);
        json.respond(
                ctx,
                service.createMultipartUpload(
                        ctx.pathParam("path"),
                        request.requiredString("path"),
                        request.int64("num_parts").orElse(1L)));
    }

    private void completeMultipartUpload(Context ctx) {
        RequestMessage request = multipartRequest(ctx);
        List<UploadedPart> parts = request.messages("parts").stream()
                .map(ArtifactRoutes::uploadedPart)
                .toList();
        service.completeMultipartUpload(
                ctx.pathParam("path"), request.requiredString("path"), request.requiredString("upload_id"), parts);
        json.respond(ctx, new EmptyResponse());
    }

    private void abortMultipartUpload(Context ctx) {
        RequestMessage request = multipartRequest(ctx);
        service.abortMultipartUpload(
                ctx.pathParam("path"), request.requiredString("path"), request.requiredString("upload_id"));
        json.respond(ctx, new EmptyResponse());
    }

    private static UploadedPart uploadedPart(RequestMessage part) {
        int partNumber = part.int32("part_number").orElse(0);
        if (partNumber < 1 || partNumber > 10_000) {
            throw AxleException.invalidParameter("part_number " + partNumber + " is out of range: use 1 to 10000");
        }
        return new UploadedPart(partNumber, part.requiredString("etag"));
    }

    /** The body of a multipart request, read only once the store is known to take multipart uploads. */
    private RequestMessage multipartRequest(Context ctx) {
        service.requireMultipartUploads(ctx.pathParam("path"));
        return Requests.message(ctx, json);
    }

    private void listRun(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        json.respond(ctx, service.listRun(runId(request), request.string("path").orElse("")));
    }

    private void getRunArtifact(Context ctx) {
        RequestMessage request = RequestMessage.ofQuery(ctx.queryParamMap());
        send(ctx, service.runArtifact(runId(request), request.requiredString("path")));
    }

    /** MLflow takes {@code run_id}, or {@code run_uuid} from older clients. */
    private static String runId(RequestMessage request) {
        boolean legacy = request.string("run_id").orElse("").isEmpty() && request.has("run_uuid");
        return request.requiredString(legacy ? "run_uuid" : "run_id");
    }

    private static void send(Context ctx, ArtifactDownload download) {
        // artifacts are mostly compressed already, and the length must stay the file's
        ctx.disableCompression();
        ctx.contentType(download.contentType());
        ctx.header("Content-Disposition", DownloadHeaders.contentDisposition(download.fileName()));
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.res().setContentLengthLong(download.content().info().size());
        ctx.result(download.content().stream());
    }
}
