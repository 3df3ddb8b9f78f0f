package io.axle.server.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.server.db.Dialect;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.ApiClient.Response;
import io.axle.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registry export and import between two real servers, and the orphaned-artifact finder. */
class RegistryTransferTest {
    private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts/";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    @Test
    void aModelImportedFromAnExportIsTheSameModelByteForByte() throws Exception {
        try (TestServer source = TestServer.start(Dialect.H2, directory.resolve("source"));
                TestServer target = TestServer.start(Dialect.H2, directory.resolve("target"))) {
            ApiClient from = source.client();
            ApiClient to = target.client();
            String runId = runWithModel(from, Map.of("MLmodel", "flavors: {}\n", "data/w.bin", "weights-v1"));
            ok(from.post(
                    "registered-models/create",
                    Map.of("name", "fraud", "description", "d", "tags", List.of(Map.of("key", "team", "value", "r")))));
            for (int i = 0; i < 3; i++) {
                ok(from.post("model-versions/create", Map.of("name", "fraud", "source", "runs:/" + runId + "/model")));
            }
            ok(from.delete("model-versions/delete", Map.of("name", "fraud", "version", "2")));
            ok(from.post(
                    "model-versions/transition-stage",
                    Map.of(
                            "name",
                            "fraud",
                            "version",
                            "3",
                            "stage",
                            "Production",
                            "archive_existing_versions",
                            false)));
            ok(from.post("registered-models/alias", Map.of("name", "fraud", "alias", "champion", "version", "3")));
            ok(from.post("model-versions/set-tag", Map.of("name", "fraud", "version", "1", "key", "k", "value", "v")));

            JsonNode exported = ok(from.get("/api/2.0/axle/registry/export"));
            assertThat(exported.path("format").asText()).isEqualTo("axle-registry/1");
            JsonNode model = exported.path("models").get(0);

            // what `axle registry import` does: upload each version's files to a staging place, then import
            String staging = "imports/" + UUID.randomUUID();
            ObjectNode body = model.deepCopy();
            for (JsonNode version : body.path("versions")) {
                String stagedPrefix =
                        staging + "/fraud/" + version.path("version").asText();
                String exportedPrefix = version.path("artifact_uri").asText().replaceFirst("^mlflow-artifacts:/", "");
                for (JsonNode file : version.path("files")) {
                    byte[] bytes = from.download(
                            PROXY + exportedPrefix + "/" + file.path("path").asText());
                    assertThat(to.put(
                                            PROXY + stagedPrefix + "/"
                                                    + file.path("path").asText(),
                                            bytes)
                                    .status())
                            .isEqualTo(200);
                }
                ((ObjectNode) version).put("staged_uri", "mlflow-artifacts:/" + stagedPrefix);
            }
            // the target once had a model of that name, renamed since: its copies stay under models/fraud/
            String oldRun = runWithModel(to, Map.of("MLmodel", "old model\n"));
            ok(to.post("registered-models/create", Map.of("name", "fraud")));
            ok(to.post("model-versions/create", Map.of("name", "fraud", "source", "runs:/" + oldRun + "/model")));
            ok(to.post("registered-models/rename", Map.of("name", "fraud", "new_name", "fraud-old")));

            JsonNode imported = ok(to.post("/api/2.0/axle/registry/import", body.toString()));
            assertThat(to.download(PROXY + "models/fraud/1/MLmodel")).isEqualTo("old model\n".getBytes(UTF_8));
            assertThat(ok(to.get("model-versions/get-download-uri?name=fraud&version=1"))
                            .path("artifact_uri")
                            .asText())
                    .isEqualTo("mlflow-artifacts:/models/fraud/1-2");
            assertThat(imported.path("registered_model").path("name").asText()).isEqualTo("fraud");

            JsonNode again =
                    ok(to.get("/api/2.0/axle/registry/export")).path("models").get(0);
            assertThat(withoutLocations(again)).isEqualTo(withoutLocations(model));
            assertThat(target.dataDirectory().resolve("artifacts/models/fraud/3/data/w.bin"))
                    .hasContent("weights-v1");
            assertThat(filesUnder(target.dataDirectory().resolve("artifacts/" + staging)))
                    .isEmpty();
            // numbering goes on after the imported versions
            String nextRun = runWithModel(to, Map.of("MLmodel", "x"));
            assertThat(ok(to.post(
                                    "model-versions/create",
                                    Map.of("name", "fraud", "source", "runs:/" + nextRun + "/model")))
                            .path("model_version")
                            .path("version")
                            .asText())
                    .isEqualTo("4");

            Response twice = to.post("/api/2.0/axle/registry/import", body.toString());
            assertThat(twice.status()).isEqualTo(400);
            assertThat(twice.errorCode()).isEqualTo("RESOURCE_ALREADY_EXISTS");
        }
    }

    @Test
    void anImportWhoseBytesDoNotMatchTheDigestsIsRefusedAndLeavesNothing() throws Exception {
        try (TestServer server = TestServer.start(Dialect.H2, directory.resolve("server"))) {
            ApiClient api = server.client();
            assertThat(api.put(PROXY + "imports/x/m/1/MLmodel", "tampered".getBytes(UTF_8))
                            .status())
                    .isEqualTo(200);
            String body = JSON.writeValueAsString(Map.of(
                    "name",
                    "m",
                    "versions",
                    List.of(Map.of(
                            "version",
                            "1",
                            "status",
                            "READY",
                            "staged_uri",
                            "mlflow-artifacts:/imports/x/m/1",
                            "files",
                            List.of(Map.of("path", "MLmodel", "size", 8, "sha256", "0".repeat(64)))))));
            Response refused = api.post("/api/2.0/axle/registry/import", body);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.body()).contains("does not match the snapshot");
            assertThat(api.get("registered-models/get?name=m").status()).isEqualTo(404);
            assertThat(filesUnder(server.dataDirectory().resolve("artifacts/models/m")))
                    .isEmpty();

            Response malformed = api.post("/api/2.0/axle/registry/import", "{\"name\": 3, \"versions\": 7}");
            assertThat(malformed.status()).isEqualTo(400);
        }
    }

    @Test
    void orphansAreWhatNoRunAndNoVersionReferences() throws Exception {
        try (TestServer server = TestServer.start(Dialect.H2, directory.resolve("orphans"))) {
            ApiClient api = server.client();
            String runId = runWithModel(api, Map.of("MLmodel", "kept"));
            ok(api.post("registered-models/create", Map.of("name", "kept")));
            ok(api.post("model-versions/create", Map.of("name", "kept", "source", "runs:/" + runId + "/model")));
            assertThat(api.put(PROXY + "by-hand/old-model/weights.bin", new byte[1000])
                            .status())
                    .isEqualTo(200);
            assertThat(api.put(PROXY + "0/not-a-run/artifacts/x.bin", new byte[24])
                            .status())
                    .isEqualTo(200);
            Path stray = server.dataDirectory().resolve("artifacts/models/deleted-model/7/MLmodel");
            Files.createDirectories(stray.getParent());
            Files.writeString(stray, "left behind");

            JsonNode orphans = ok(api.get("/api/2.0/axle/registry/orphans"));
            assertThat(orphans.path("orphans").findValuesAsText("path"))
                    .containsExactlyInAnyOrder("0/not-a-run/", "by-hand/", "models/deleted-model/");
            assertThat(orphans.path("total_size").asLong()).isEqualTo(1000 + 24 + "left behind".length());

            Response notOrphan = api.post(
                    "/api/2.0/axle/registry/orphans/delete", Map.of("paths", List.of("by-hand/", "models/kept/1")));
            assertThat(notOrphan.status()).isEqualTo(400);
            assertThat(server.dataDirectory().resolve("artifacts/by-hand/old-model/weights.bin"))
                    .exists();

            JsonNode deleted =
                    ok(api.post("/api/2.0/axle/registry/orphans/delete", Map.of("paths", List.of("by-hand/"))));
            assertThat(deleted.path("deleted").get(0).path("size").asLong()).isEqualTo(1000);
            assertThat(filesUnder(server.dataDirectory().resolve("artifacts/by-hand")))
                    .isEmpty();
            assertThat(ok(api.get("/api/2.0/axle/models/resolve?uri=models:/kept/1"))
                            .path("files"))
                    .hasSize(1);
        }
    }

    private static List<Path> filesUnder(Path directory) throws java.io.IOException {
        if (!Files.exists(directory)) {
            return List.of();
        }
        try (var walk = Files.walk(directory)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    private static JsonNode withoutLocations(JsonNode model) {
        ObjectNode copy = model.deepCopy();
        copy.path("versions").forEach(version -> ((ObjectNode) version).remove(List.of("artifact_uri", "staged_uri")));
        return copy;
    }

    private static String runWithModel(ApiClient api, Map<String, String> files) {
        JsonNode run = ok(api.post("runs/create", Map.of("experiment_id", "0"))).path("run");
        String root = run.path("info").path("artifact_uri").asText().replaceFirst("^mlflow-artifacts:/", "");
        files.forEach((file, content) -> assertThat(api.put(PROXY + root + "/model/" + file, content.getBytes(UTF_8))
                        .status())
                .isEqualTo(200));
        return run.path("info").path("run_id").asText();
    }

    private static JsonNode ok(Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }
}
