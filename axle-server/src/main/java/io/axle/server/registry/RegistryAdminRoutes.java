package io.axle.server.registry;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.server.http.Actors;
import io.axle.server.http.Json;
import io.axle.server.http.RequestMessage;
import io.axle.server.http.Requests;
import io.axle.server.registry.RegistrySnapshot.SnapshotModel;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;

/** Backups, moves and store hygiene: registry export and import, and orphaned artifacts. */
public final class RegistryAdminRoutes {
    /** A model's import body lists every version and file digest: larger than an API message may be. */
    private static final long MAX_IMPORT_BYTES = 64L * 1024 * 1024;

    private final RegistryTransfer transfer;
    private final OrphanFinder orphans;
    private final Json json;

    public RegistryAdminRoutes(RegistryTransfer transfer, OrphanFinder orphans, Json json) {
        this.transfer = requireNonNull(transfer, "transfer is null");
        this.orphans = requireNonNull(orphans, "orphans is null");
        this.json = requireNonNull(json, "json is null");
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/2.0/axle/registry/export", this::export);
        routes.post("/api/2.0/axle/registry/import", this::importModel);
        routes.get("/api/2.0/axle/registry/orphans", this::listOrphans);
        routes.post("/api/2.0/axle/registry/orphans/delete", this::deleteOrphans);
    }

    record ImportResponse(RegisteredModel registeredModel) {}

    record DeleteResponse(List<OrphanFinder.Orphan> deleted) {}

    private void export(Context ctx) {
        json.respond(ctx, transfer.export());
    }

    private void importModel(Context ctx) {
        JsonNode body = Requests.body(ctx, json, MAX_IMPORT_BYTES, "Import fewer versions per request.");
        SnapshotModel model;
        try {
            model = json.mapper().treeToValue(body, SnapshotModel.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new AxleException(
                    ErrorCode.MALFORMED_REQUEST,
                    "The import body is not a registered model of a registry snapshot: "
                            + (e instanceof com.fasterxml.jackson.core.JsonProcessingException processing
                                    ? processing.getOriginalMessage()
                                    : e.getMessage()));
        }
        if (model == null) {
            throw new AxleException(
                    ErrorCode.MALFORMED_REQUEST,
                    "The import body is null: send one registered model of a registry snapshot as a JSON object.");
        }
        json.respond(ctx, new ImportResponse(transfer.importModel(model, Actors.of(ctx))));
    }

    private void listOrphans(Context ctx) {
        json.respond(ctx, orphans.find());
    }

    private void deleteOrphans(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        List<String> paths = request.strings("paths");
        if (paths.isEmpty()) {
            throw AxleException.invalidParameter("Name the orphans to delete in 'paths'.");
        }
        json.respond(ctx, new DeleteResponse(orphans.delete(paths)));
    }
}
