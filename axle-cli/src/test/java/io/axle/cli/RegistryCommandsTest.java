package io.axle.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.server.db.Dialect;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.ApiClient.Response;
import io.axle.server.testing.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code axle registry export|import|orphans} and {@code axle models lineage} against real servers. */
class RegistryCommandsTest {
    private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts/";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    private record Result(int exitCode, String out, String err) {}

    @Test
    void anExportImportedIntoAnEmptyServerReproducesEveryModelVersionStageAliasTagAndByte() throws Exception {
        try (TestServer source = TestServer.start(Dialect.H2, directory.resolve("source"));
                TestServer target = TestServer.start(Dialect.H2, directory.resolve("target"))) {
            ApiClient api = source.client();
            String runId = runWithModel(api, Map.of("MLmodel", "flavors: {}\n", "data/weights.bin", "0123456789"));
            for (String model : List.of("fraud", "churn model")) {
                ok(api.post(
                        "registered-models/create",
                        Map.of("name", model, "tags", List.of(Map.of("key", "team", "value", "risk")))));
                for (int i = 0; i < 3; i++) {
                    ok(api.post("model-versions/create", Map.of("name", model, "source", "runs:/" + runId + "/model")));
                }
            }
            ok(api.delete("model-versions/delete", Map.of("name", "fraud", "version", "1")));
            ok(api.post(
                    "model-versions/transition-stage",
                    Map.of(
                            "name",
                            "fraud",
                            "version",
                            "2",
                            "stage",
                            "Production",
                            "archive_existing_versions",
                            false)));
            ok(api.post("registered-models/alias", Map.of("name", "fraud", "alias", "champion", "version", "3")));
            ok(api.post(
                    "model-versions/set-tag", Map.of("name", "churn model", "version", "2", "key", "k", "value", "v")));

            Path export = directory.resolve("backup");
            Result exported = axle("registry", "export", export.toString(), "--tracking-uri", source.url());
            assertThat(exported.exitCode()).as(exported.err()).isZero();
            assertThat(exported.out()).contains("Exported 2 models, 5 versions, 10 files");
            assertThat(export.resolve("models/fraud/3/data/weights.bin")).hasContent("0123456789");

            Result imported = axle("registry", "import", export.toString(), "--tracking-uri", target.url());
            assertThat(imported.exitCode()).as(imported.out() + imported.err()).isZero();
            assertThat(imported.out()).contains("Imported 2 models, 5 versions");

            JsonNode before = ok(api.get("/api/2.0/axle/registry/export")).path("models");
            JsonNode after =
                    ok(target.client().get("/api/2.0/axle/registry/export")).path("models");
            assertThat(withoutLocations(after)).isEqualTo(withoutLocations(before));
            assertThat(target.client().download(PROXY + "models/fraud/3/data/weights.bin"))
                    .isEqualTo("0123456789".getBytes(UTF_8));

            // a second import has nothing left to do
            Result again = axle("registry", "import", export.toString(), "--tracking-uri", target.url());
            assertThat(again.exitCode()).isZero();
            assertThat(again.out()).contains("Imported 0 models").contains("skipped fraud (already on the server)");
        }
    }

    @Test
    void badExportAndImportRequestsGetOneLineAndANonZeroExit() throws Exception {
        try (TestServer server = TestServer.start(Dialect.H2, directory.resolve("server"))) {
            Path full = Files.createDirectories(directory.resolve("full"));
            Files.writeString(full.resolve("something"), "x");
            Result notEmpty = axle("registry", "export", full.toString(), "--tracking-uri", server.url());
            assertThat(notEmpty.exitCode()).isEqualTo(1);
            assertThat(notEmpty.err()).contains("is not empty");

            Result noSnapshot = axle("registry", "import", full.toString(), "--tracking-uri", server.url());
            assertThat(noSnapshot.exitCode()).isEqualTo(1);
            assertThat(noSnapshot.err()).contains("has no registry.json");

            Result both = axle("registry", "import", full.toString(), "--from-mlflow", server.url());
            assertThat(both.exitCode()).isEqualTo(1);
            assertThat(both.err()).contains("one of the two");

            Result unreachable = axle(
                    "registry", "export", directory.resolve("new").toString(), "--tracking-uri", "http://127.0.0.1:1");
            assertThat(unreachable.exitCode()).isEqualTo(1);
            assertThat(unreachable.err()).contains("Cannot reach").doesNotContain("Exception");
        }
    }

    @Test
    void orphansAreListedAndDeletedOnlyWhenConfirmed() throws Exception {
        try (TestServer server = TestServer.start(Dialect.H2, directory.resolve("orphans"))) {
            ApiClient api = server.client();
            runWithModel(api, Map.of("MLmodel", "kept"));
            assertThat(api.put(PROXY + "manual-upload/model.bin", new byte[2048])
                            .status())
                    .isEqualTo(200);

            Result listed = axle("registry", "orphans", "--tracking-uri", server.url());
            assertThat(listed.exitCode()).isZero();
            assertThat(listed.out())
                    .contains("2.0 KiB")
                    .contains("manual-upload/")
                    .contains("1 orphans");

            Result asJson = axle("registry", "orphans", "--json", "--tracking-uri", server.url());
            assertThat(JSON.readTree(asJson.out()).path("total_size").asLong()).isEqualTo(2048);

            // tests have no terminal to ask on: without --yes nothing is deleted
            Result unconfirmed = axle("registry", "orphans", "--delete", "--tracking-uri", server.url());
            assertThat(unconfirmed.exitCode()).isEqualTo(1);
            assertThat(unconfirmed.err()).contains("--yes");
            assertThat(server.dataDirectory().resolve("artifacts/manual-upload/model.bin"))
                    .exists();

            Result deleted = axle("registry", "orphans", "--delete", "--yes", "--tracking-uri", server.url());
            assertThat(deleted.exitCode()).isZero();
            assertThat(deleted.out()).contains("Deleted 1 orphans (2.0 KiB)");
            assertThat(axle("registry", "orphans", "--tracking-uri", server.url())
                            .out())
                    .contains("No orphans");
        }
    }

    @Test
    void lineageSaysWhatIsRecordedAndWhatIsMissing() throws Exception {
        try (TestServer server = TestServer.start(Dialect.H2, directory.resolve("lineage"))) {
            ApiClient api = server.client();
            String runId = runWithModel(api, Map.of("MLmodel", "x"));
            ok(api.post(
                    "runs/log-batch",
                    Map.of(
                            "run_id",
                            runId,
                            "params",
                            List.of(Map.of("key", "lr", "value", "0.01")),
                            "tags",
                            List.of(Map.of("key", "mlflow.source.git.commit", "value", "4f2a9c1")))));
            ok(api.post("registered-models/create", Map.of("name", "fraud")));
            ok(api.post("model-versions/create", Map.of("name", "fraud", "source", "runs:/" + runId + "/model")));

            Result text = axle("models", "lineage", "fraud", "1", "--tracking-uri", server.url());
            assertThat(text.exitCode()).as(text.err()).isZero();
            assertThat(text.out())
                    .contains("fraud version 1 (READY, None)")
                    .contains("lr=0.01")
                    .contains("4f2a9c1")
                    .contains("data     none recorded")
                    .contains("not reproducible: no data version recorded");

            Result json = axle("models", "lineage", "fraud", "1", "--json", "--tracking-uri", server.url());
            assertThat(JSON.readTree(json.out()).path("reproducible").asBoolean())
                    .isFalse();

            Result missing = axle("models", "lineage", "fraud", "9", "--tracking-uri", server.url());
            assertThat(missing.exitCode()).isEqualTo(1);
            assertThat(missing.err()).contains("not found");
        }
    }

    private static Result axle(String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), arguments);
        return new Result(exitCode, out.toString(), err.toString());
    }

    private static JsonNode withoutLocations(JsonNode models) {
        JsonNode copy = models.deepCopy();
        copy.forEach(model -> model.path("versions")
                .forEach(version -> ((ObjectNode) version).remove(List.of("artifact_uri", "staged_uri"))));
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
