package io.axle.server.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.server.db.Dialect;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.ApiClient.Response;
import io.axle.server.testing.Seeds;
import io.axle.server.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The model registry over HTTP, on H2 and on PostgreSQL. */
@ParameterizedClass
@EnumSource(Dialect.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryApiTest {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts/";

    @Parameter
    Dialect dialect;

    private TestServer server;
    private ApiClient api;

    @BeforeParameterizedClassInvocation
    void start() throws IOException {
        server = TestServer.start(dialect, Files.createTempDirectory("axle-registry-test"));
        api = server.client();
    }

    @AfterParameterizedClassInvocation
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void createsGetsRenamesUpdatesAndDeletesAModel() {
        String name = unique("fraud");
        JsonNode created = ok(api.post(
                        "registered-models/create",
                        Map.of(
                                "name",
                                name,
                                "description",
                                "scores card payments",
                                "tags",
                                List.of(Map.of("key", "team", "value", "risk")))))
                .path("registered_model");
        assertThat(created.path("name").asText()).isEqualTo(name);
        assertThat(created.path("description").asText()).isEqualTo("scores card payments");
        assertThat(created.path("creation_timestamp").isNumber()).isTrue();
        assertThat(created.path("tags").get(0).path("value").asText()).isEqualTo("risk");

        Response again = api.post("registered-models/create", Map.of("name", name));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.errorCode()).isEqualTo("RESOURCE_ALREADY_EXISTS");

        String renamed = name + "-renamed";
        ok(api.post("registered-models/rename", Map.of("name", name, "new_name", renamed)));
        assertThat(api.get("registered-models/get?name=" + name).status()).isEqualTo(404);
        ok(api.patch("registered-models/update", Map.of("name", renamed, "description", "v2")));
        assertThat(ok(api.get("registered-models/get?name=" + renamed))
                        .path("registered_model")
                        .path("description")
                        .asText())
                .isEqualTo("v2");

        ok(api.post("registered-models/set-tag", Map.of("name", renamed, "key", "owner", "value", "ana")));
        ok(api.delete("registered-models/delete-tag", Map.of("name", renamed, "key", "team")));
        JsonNode tags = ok(api.get("registered-models/get?name=" + renamed))
                .path("registered_model")
                .path("tags");
        assertThat(tags).hasSize(1);
        assertThat(tags.get(0).path("key").asText()).isEqualTo("owner");

        ok(api.delete("registered-models/delete", Map.of("name", renamed)));
        Response gone = api.get("registered-models/get?name=" + renamed);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void refusesModelNamesThatCannotBeNamesOrPaths() {
        for (String name : List.of("a/b", "a:b", "..", ".", "a\\b", "", "a#b", "a?b", "a%2fb")) {
            Response refused = api.post("registered-models/create", Map.of("name", name));
            assertThat(refused.status()).as(name).isEqualTo(400);
            assertThat(refused.errorCode()).as(name).isEqualTo("INVALID_PARAMETER_VALUE");
        }
    }

    @Test
    void aVersionIsACopyInRegistryStorageWithDigestsThatOutlivesItsRun() throws Exception {
        String name = unique("copy");
        createModel(name);
        String runId = createRunWithModel("model", Map.of("MLmodel", "flavors: {}\n", "data/weights.bin", "0123"));
        JsonNode version = ok(api.post(
                        "model-versions/create",
                        Map.of("name", name, "source", "runs:/" + runId + "/model", "run_id", runId)))
                .path("model_version");
        assertThat(version.path("version").asText()).isEqualTo("1");
        assertThat(version.path("status").asText()).isEqualTo("READY");
        assertThat(version.path("current_stage").asText()).isEqualTo("None");
        assertThat(version.path("run_id").asText()).isEqualTo(runId);

        String downloadUri = ok(api.get("model-versions/get-download-uri?name=" + name + "&version=1"))
                .path("artifact_uri")
                .asText();
        assertThat(downloadUri).isEqualTo("mlflow-artifacts:/models/" + name + "/1");
        Path copy = server.dataDirectory().resolve("artifacts/models/" + name + "/1");
        assertThat(copy.resolve("data/weights.bin")).hasContent("0123");

        JsonNode resolved = ok(api.get("/api/2.0/axle/models/resolve?uri=models:/" + name + "/1"));
        assertThat(resolved.path("artifact_uri").asText()).isEqualTo(downloadUri);
        assertThat(resolved.path("total_size").asLong()).isEqualTo(4 + "flavors: {}\n".length());
        Map<String, String> digests = new java.util.TreeMap<>();
        resolved.path("files")
                .forEach(file -> digests.put(
                        file.path("path").asText(), file.path("sha256").asText()));
        assertThat(digests).containsOnlyKeys("MLmodel", "data/weights.bin");
        assertThat(digests.get("data/weights.bin")).isEqualTo(sha256("0123".getBytes(UTF_8)));

        // the run's own files go away; the registry's copy stays, and the proxy serves it
        api.send(java.net.http.HttpRequest.newBuilder(
                        api.uri(PROXY + "0/" + runId + "/artifacts/model/data/weights.bin"))
                .DELETE()
                .build());
        ok(api.post("runs/delete", Map.of("run_id", runId)));
        byte[] served = api.download(PROXY + "models/" + name + "/1/data/weights.bin");
        assertThat(sha256(served)).isEqualTo(digests.get("data/weights.bin"));
    }

    @Test
    void clientsCannotWriteIntoRegistryStorage() {
        Response put = api.put(PROXY + "models/anything/1/MLmodel", "x".getBytes(UTF_8));
        assertThat(put.status()).isEqualTo(403);
        assertThat(put.errorCode()).isEqualTo("PERMISSION_DENIED");
    }

    @Test
    void aSourceWithNoFilesOrOutsideTheStoreIsRefusedBeforeAnythingIsWritten() {
        String name = unique("empty");
        createModel(name);
        String runId = createRunWithModel("model", Map.of("MLmodel", "x"));
        for (String source : List.of(
                "runs:/" + runId + "/nothing-here", "/etc", "file:///etc/passwd", "mlflow-artifacts:/../../etc")) {
            Response refused = api.post("model-versions/create", Map.of("name", name, "source", source));
            assertThat(refused.status()).as(source).isEqualTo(400);
        }
        Response unknownRun = api.post("model-versions/create", Map.of("name", name, "source", "runs:/nope/model"));
        assertThat(unknownRun.status()).isEqualTo(404);
        assertThat(ok(api.get("model-versions/search?filter=" + encode("name='" + name + "'")))
                        .path("model_versions"))
                .isEmpty();
    }

    @Test
    void stagesMoveAndArchiveExistingVersions() {
        String name = unique("stages");
        createModel(name);
        String runId = createRunWithModel("model", Map.of("MLmodel", "x"));
        for (int i = 0; i < 3; i++) {
            createVersion(name, runId);
        }
        transition(name, "1", "production", false);
        transition(name, "2", "Staging", false);
        JsonNode third = transition(name, "3", "Production", true);
        assertThat(third.path("current_stage").asText()).isEqualTo("Production");
        assertThat(version(name, "1").path("current_stage").asText()).isEqualTo("Archived");
        assertThat(version(name, "2").path("current_stage").asText()).isEqualTo("Staging");

        JsonNode latest = ok(api.post(
                        "registered-models/get-latest-versions",
                        Map.of("name", name, "stages", List.of("Production", "Staging"))))
                .path("model_versions");
        assertThat(latest).hasSize(2);
        assertThat(latest.get(0).path("version").asText()).isEqualTo("3");
        assertThat(latest.get(1).path("version").asText()).isEqualTo("2");

        JsonNode model = ok(api.get("registered-models/get?name=" + name)).path("registered_model");
        assertThat(model.path("latest_versions")).hasSize(3);

        Response badStage = api.post(
                "model-versions/transition-stage",
                Map.of("name", name, "version", "1", "stage", "Prod", "archive_existing_versions", false));
        assertThat(badStage.status()).isEqualTo(400);
        Response archiveToNone = api.post(
                "model-versions/transition-stage",
                Map.of("name", name, "version", "1", "stage", "None", "archive_existing_versions", true));
        assertThat(archiveToNone.status()).isEqualTo(400);
    }

    @Test
    void aliasesPointMoveAndAreValidated() {
        String name = unique("alias");
        createModel(name);
        String runId = createRunWithModel("model", Map.of("MLmodel", "x"));
        createVersion(name, runId);
        createVersion(name, runId);
        ok(api.post("registered-models/alias", Map.of("name", name, "alias", "champion", "version", "1")));
        assertThat(ok(api.get("registered-models/alias?name=" + name + "&alias=champion"))
                        .path("model_version")
                        .path("version")
                        .asText())
                .isEqualTo("1");
        ok(api.post("registered-models/alias", Map.of("name", name, "alias", "champion", "version", "2")));
        assertThat(version(name, "2").path("aliases").get(0).asText()).isEqualTo("champion");
        assertThat(version(name, "1").path("aliases")).isEmpty();
        JsonNode aliases = ok(api.get("registered-models/get?name=" + name))
                .path("registered_model")
                .path("aliases");
        assertThat(aliases.get(0).path("alias").asText()).isEqualTo("champion");
        assertThat(aliases.get(0).path("version").asText()).isEqualTo("2");

        for (String bad : List.of("v1", "V12", "latest", "Latest", "has space", "a/b", "x".repeat(256))) {
            Response refused = api.post("registered-models/alias", Map.of("name", name, "alias", bad, "version", "1"));
            assertThat(refused.status()).as(bad).isEqualTo(400);
        }
        Response noVersion = api.post("registered-models/alias", Map.of("name", name, "alias", "ok", "version", "9"));
        assertThat(noVersion.status()).isEqualTo(404);

        ok(api.delete("registered-models/alias", Map.of("name", name, "alias", "champion")));
        assertThat(api.get("registered-models/alias?name=" + name + "&alias=champion")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void modelUrisResolveByVersionStageAliasLatestAndRun() {
        String name = unique("uris");
        createModel(name);
        String runId = createRunWithModel("model", Map.of("MLmodel", "x", "model.onnx", "onnx-bytes"));
        createVersion(name, runId);
        createVersion(name, runId);
        createVersion(name, runId);
        transition(name, "2", "Production", false);
        ok(api.post("registered-models/alias", Map.of("name", name, "alias", "champion", "version", "1")));
        assertThat(resolve("models:/" + name + "/3").path("version").asText()).isEqualTo("3");
        assertThat(resolve("models:/" + name + "/production").path("version").asText())
                .isEqualTo("2");
        assertThat(resolve("models:/" + name + "@champion").path("version").asText())
                .isEqualTo("1");
        assertThat(resolve("models:/" + name + "/latest").path("version").asText())
                .isEqualTo("3");
        JsonNode run = resolve("runs:/" + runId + "/model");
        assertThat(run.path("run_id").asText()).isEqualTo(runId);
        assertThat(run.has("version")).isFalse();
        assertThat(run.path("files")).hasSize(2);

        for (String bad : List.of("models:/" + name + "/Prod", "models:/" + name, "s3://x/y", "models:/")) {
            Response refused = api.get("/api/2.0/axle/models/resolve?uri=" + encode(bad));
            assertThat(refused.status()).as(bad).isEqualTo(400);
        }
        assertThat(api.get("/api/2.0/axle/models/resolve?uri=" + encode("models:/" + name + "/Staging"))
                        .status())
                .isEqualTo(404);
        assertThat(api.get("/api/2.0/axle/models/resolve?uri=" + encode("models:/" + name + "@nobody"))
                        .status())
                .isEqualTo(404);
    }

    @Test
    void fiftyConcurrentCreatorsGetVersionsOneToFiftyWithoutGapsOrDuplicates() throws Exception {
        String name = unique("concurrent");
        createModel(name);
        String runId = createRunWithModel("model", Map.of("MLmodel", "x"));
        List<Callable<String>> creators = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            creators.add(() -> ok(api.post(
                            "model-versions/create", Map.of("name", name, "source", "runs:/" + runId + "/model")))
                    .path("model_version")
                    .path("version")
                    .asText());
        }
        List<Integer> versions = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(50)) {
            for (Future<String> version : pool.invokeAll(creators)) {
                versions.add(Integer.parseInt(version.get()));
            }
        }
        assertThat(versions)
                .containsExactlyInAnyOrderElementsOf(
                        java.util.stream.IntStream.rangeClosed(1, 50).boxed().toList());
    }

    @Test
    void searchesModelsAndVersionsWithMlflowsGrammar() {
        String prefix = unique("search");
        String runId = createRunWithModel("model", Map.of("MLmodel", "x"));
        for (int i = 0; i < 3; i++) {
            String name = prefix + "-" + i;
            createModel(name);
            ok(api.post("registered-models/set-tag", Map.of("name", name, "key", "tier", "value", "t" + (i % 2))));
            createVersion(name, runId);
        }
        JsonNode byPrefix = ok(api.get(
                "registered-models/search?filter=" + encode("name LIKE '" + prefix + "-%'") + "&max_results=2"));
        assertThat(byPrefix.path("registered_models")).hasSize(2);
        assertThat(byPrefix.path("registered_models").get(0).path("name").asText())
                .isEqualTo(prefix + "-0");
        JsonNode next = ok(api.get("registered-models/search?filter=" + encode("name LIKE '" + prefix + "-%'")
                + "&max_results=2&page_token="
                + byPrefix.path("next_page_token").asText()));
        assertThat(next.path("registered_models")).hasSize(1);
        assertThat(next.has("next_page_token")).isFalse();

        JsonNode byTag = ok(api.get("registered-models/search?filter="
                + encode("name ILIKE '" + prefix.toUpperCase() + "%' AND tags.tier = 't1'")));
        assertThat(byTag.path("registered_models")).hasSize(1);

        JsonNode versions = ok(api.get("model-versions/search?filter=" + encode("run_id = '" + runId + "'")
                + "&order_by=" + encode("name DESC")));
        assertThat(versions.path("model_versions")).hasSize(3);
        assertThat(versions.path("model_versions").get(0).path("name").asText()).isEqualTo(prefix + "-2");
        JsonNode numbered = ok(
                api.get("model-versions/search?filter=" + encode("name = '" + prefix + "-1' AND version_number >= 1")));
        assertThat(numbered.path("model_versions")).hasSize(1);

        Response badKey = api.get("registered-models/search?filter=" + encode("params.x = '1'"));
        assertThat(badKey.status()).isEqualTo(400);
        Response badOrder = api.get("model-versions/search?order_by=" + encode("metrics.acc DESC"));
        assertThat(badOrder.status()).isEqualTo(400);
        Response tooMany = api.get("registered-models/search?max_results=1001");
        assertThat(tooMany.status()).isEqualTo(400);
    }

    @Test
    void everyChangeIsAnEventNumberedWithoutGaps() {
        long before = ok(api.get("/api/2.0/axle/events?after=0&max_results=1"))
                .path("latest")
                .asLong();
        String name = unique("events");
        createModel(name);
        String runId = createRunWithModel("model", Map.of("MLmodel", "x"));
        createVersion(name, runId);
        transition(name, "1", "Staging", false);
        ok(api.post("registered-models/alias", Map.of("name", name, "alias", "champion", "version", "1")));
        ok(api.delete("registered-models/alias", Map.of("name", name, "alias", "champion")));

        List<JsonNode> mine = new ArrayList<>();
        long after = before;
        while (true) {
            JsonNode page = ok(api.get("/api/2.0/axle/events?after=" + after + "&max_results=2"));
            if (page.path("events").isEmpty()) {
                break;
            }
            for (JsonNode event : page.path("events")) {
                assertThat(event.path("seq").asLong()).isEqualTo(after + 1);
                after = event.path("seq").asLong();
                if (event.path("model_name").asText().equals(name)) {
                    mine.add(event);
                }
            }
        }
        assertThat(mine)
                .extracting(event -> event.path("type").asText())
                .containsExactly(
                        "MODEL_CREATED",
                        "VERSION_CREATED",
                        "VERSION_READY",
                        "STAGE_TRANSITIONED",
                        "ALIAS_SET",
                        "ALIAS_DELETED");
        JsonNode alias = mine.get(4);
        assertThat(alias.path("alias").asText()).isEqualTo("champion");
        assertThat(alias.path("version").asText()).isEqualTo("1");
        assertThat(alias.path("actor").asText()).isEqualTo("anonymous");
        assertThat(mine.get(3).path("payload").path("to_stage").asText()).isEqualTo("Staging");
    }

    @Test
    void lineageNamesRunCodeDataAndFilesOrSaysWhatIsMissing() {
        String name = unique("lineage");
        createModel(name);
        String runId = createRunWithModel("model", Map.of("MLmodel", "x"));
        createVersion(name, runId);
        JsonNode bare = ok(api.get("/api/2.0/axle/model-versions/lineage?name=" + name + "&version=1"));
        assertThat(bare.path("reproducible").asBoolean()).isFalse();
        assertThat(bare.path("missing").toString())
                .contains("no data version recorded")
                .contains("no code commit recorded");

        ok(api.post(
                "runs/log-batch",
                Map.of(
                        "run_id",
                        runId,
                        "params",
                        List.of(Map.of("key", "lr", "value", "0.1")),
                        "tags",
                        List.of(
                                Map.of("key", "mlflow.source.git.commit", "value", "abc123"),
                                Map.of("key", "mlflow.source.name", "value", "train.py")))));
        Seeds.dvcTrainingInput(api, runId, "payments", "d41d8cd9", "0123456789abcdef0123456789abcdef");
        JsonNode full = ok(api.get("/api/2.0/axle/model-versions/lineage?name=" + name + "&version=1"));
        assertThat(full.path("reproducible").asBoolean()).isTrue();
        assertThat(full.path("run").path("params").get(0).path("key").asText()).isEqualTo("lr");
        assertThat(full.path("run").path("experiment_name").asText()).isEqualTo("Default");
        assertThat(full.path("code").path("git_commit").asText()).isEqualTo("abc123");
        assertThat(full.path("datasets").get(0).path("dvc_md5").asText()).isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(full.path("datasets").get(0).path("context").asText()).isEqualTo("training");
        assertThat(full.path("files").get(0).path("sha256").asText()).hasSize(64);
    }

    @Test
    void aDeletedVersionTakesItsCopyAndAliasesWithIt() {
        String name = unique("delete");
        createModel(name);
        String runId = createRunWithModel("model", Map.of("MLmodel", "x"));
        createVersion(name, runId);
        ok(api.post("registered-models/alias", Map.of("name", name, "alias", "prod", "version", "1")));
        ok(api.delete("model-versions/delete", Map.of("name", name, "version", "1")));
        assertThat(api.get("model-versions/get?name=" + name + "&version=1").status())
                .isEqualTo(404);
        assertThat(server.dataDirectory().resolve("artifacts/models/" + name + "/1"))
                .doesNotExist();
        assertThat(ok(api.get("registered-models/get?name=" + name))
                        .path("registered_model")
                        .path("aliases"))
                .isEmpty();
        // numbers are never reused
        assertThat(createVersion(name, runId).path("version").asText()).isEqualTo("2");
    }

    // ---- helpers

    private String createRunWithModel(String path, Map<String, String> files) {
        JsonNode run = ok(api.post("runs/create", Map.of("experiment_id", "0"))).path("run");
        String runId = run.path("info").path("run_id").asText();
        String root = run.path("info").path("artifact_uri").asText().replaceFirst("^mlflow-artifacts:/", "");
        files.forEach((file, content) -> {
            Response put = api.put(PROXY + root + "/" + path + "/" + file, content.getBytes(UTF_8));
            assertThat(put.status()).as(put.body()).isEqualTo(200);
        });
        return runId;
    }

    private void createModel(String name) {
        ok(api.post("registered-models/create", Map.of("name", name)));
    }

    private JsonNode createVersion(String name, String runId) {
        JsonNode version = ok(api.post(
                        "model-versions/create", Map.of("name", name, "source", "runs:/" + runId + "/model")))
                .path("model_version");
        assertThat(version.path("status").asText()).isEqualTo("READY");
        return version;
    }

    private JsonNode version(String name, String version) {
        return ok(api.get("model-versions/get?name=" + name + "&version=" + version))
                .path("model_version");
    }

    private JsonNode transition(String name, String version, String stage, boolean archive) {
        return ok(api.post(
                        "model-versions/transition-stage",
                        Map.of("name", name, "version", version, "stage", stage, "archive_existing_versions", archive)))
                .path("model_version");
    }

    private JsonNode resolve(String uri) {
        return ok(api.get("/api/2.0/axle/models/resolve?uri=" + encode(uri)));
    }

    private static JsonNode ok(Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, UTF_8);
    }

    private static String unique(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet() + "-" + System.nanoTime() % 100_000;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
