package io.axle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.server.db.Dialect;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.TestServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code axle registry import --from-mlflow} copies registered models, their versions, stages and aliases, between
 * two real servers that speak MLflow's registry API; written against MLflow 2.17's request and response shapes.
 */
final class MlflowRegistryImportTest {
    private static final String MODEL = "fraud";

    @TempDir
    Path directory;

    private TestServer mlflowServer;
    private TestServer axleServer;
    private MlflowSource mlflow;
    private MlflowSource axle;

    @BeforeEach
    void startServers() {
        mlflowServer = TestServer.start(Dialect.H2, directory.resolve("mlflow"));
        axleServer = TestServer.start(Dialect.H2, directory.resolve("axle"));
        mlflow = new MlflowSource(mlflowServer.client());
        axle = new MlflowSource(axleServer.client());
        assertThat(mlflowServer.client().get("registered-models/search").status())
                .as("the server has MLflow's registry endpoints")
                .isEqualTo(200);
    }

    @AfterEach
    void stopServers() {
        axleServer.close();
        mlflowServer.close();
    }

    @Test
    void copiesModelsWithTheirVersionsStagesAliasesAndFiles() {
        String experimentId = mlflow.createExperiment("fraud-training", Map.of());
        JsonNode run = mlflow.createRun(experimentId, "train", 1_700_000_000_000L);
        String runId = run.path("run_id").asText();
        mlflow.upload(run, "model/MLmodel", "flavors: {}\n".getBytes(StandardCharsets.UTF_8));
        mlflow.finish(runId, "FINISHED", 1_700_000_060_000L);
        upload(mlflowServer.client(), "uploads/fraud-v3/MLmodel", "flavors: {python_function: {}}\n");
        upload(mlflowServer.client(), "uploads/fraud-v3/data/model.bin", "weights");

        mlflow.post(
                "registered-models/create",
                Map.of(
                        "name",
                        MODEL,
                        "description",
                        "Flags fraudulent payments",
                        "tags",
                        MlflowSource.keyValues(Map.of("team", "risk"))));
        mlflow.post("registered-models/create", Map.of("name", "no-versions-yet"));
        createVersion(Map.of("source", "runs:/" + runId + "/model", "run_id", runId, "description", "first"));
        createVersion(Map.of(
                "source",
                run.path("artifact_uri").asText() + "/model",
                "run_id",
                runId,
                "tags",
                MlflowSource.keyValues(Map.of("validated", "yes"))));
        createVersion(Map.of("source", "mlflow-artifacts:/uploads/fraud-v3", "description", "from a notebook"));
        transition("1", "Archived");
        transition("2", "Production");
        transition("3", "Staging");
        mlflow.post("registered-models/alias", Map.of("name", MODEL, "alias", "champion", "version", "2"));
        mlflow.post("registered-models/alias", Map.of("name", MODEL, "alias", "challenger", "version", "3"));

        Result result = importAll();

        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.out()).containsPattern("registered models +2\\b").containsPattern("model versions +3\\b");
        JsonNode model = axle.get("registered-models/get?name=" + MODEL).path("registered_model");
        assertThat(model.path("description").asText()).isEqualTo("Flags fraudulent payments");
        assertThat(model.path("tags").toString()).contains("\"team\"").contains("\"risk\"");
        assertThat(aliases(model)).isEqualTo(Map.of("champion", "2", "challenger", "3"));
        assertThat(axle.get("registered-models/get?name=no-versions-yet")
                        .path("registered_model")
                        .path("name")
                        .asText())
                .isEqualTo("no-versions-yet");

        String copiedRunId = axle.runs(axle.experiments()
                        .get("fraud-training")
                        .path("experiment_id")
                        .asText())
                .get("train")
                .path("info")
                .path("run_id")
                .asText();
        JsonNode first = version("1");
        assertThat(first.path("source").asText()).isEqualTo("runs:/" + copiedRunId + "/model");
        assertThat(first.path("run_id").asText()).isEqualTo(copiedRunId);
        assertThat(first.path("description").asText()).isEqualTo("first");
        assertThat(first.path("current_stage").asText()).isEqualTo("Archived");
        JsonNode second = version("2");
        assertThat(second.path("source").asText()).isEqualTo("runs:/" + copiedRunId + "/model");
        assertThat(second.path("current_stage").asText()).isEqualTo("Production");
        assertThat(second.path("tags").toString()).contains("\"validated\"");
        JsonNode third = version("3");
        assertThat(third.path("source").asText()).isEqualTo("mlflow-artifacts:/registry-import/fraud/3");
        assertThat(third.path("current_stage").asText()).isEqualTo("Staging");
        assertThat(third.path("description").asText()).isEqualTo("from a notebook");
        assertThat(download(axleServer.client(), "registry-import/fraud/3/data/model.bin"))
                .isEqualTo("weights");
        assertThat(download(axleServer.client(), "registry-import/fraud/3/MLmodel"))
                .isEqualTo("flavors: {python_function: {}}\n");

        Result again = importAll();

        assertThat(again.exitCode()).as(again.out()).isZero();
        assertThat(again.out()).containsPattern("model versions +0\\b");
        assertThat(versionCount()).isEqualTo(3);
    }

    @Test
    void aVersionCopiedButNotRecordedIsFoundAgainNotCopiedTwice() throws IOException {
        upload(mlflowServer.client(), "uploads/fraud-v1/MLmodel", "flavors: {}\n");
        mlflow.post("registered-models/create", Map.of("name", MODEL));
        createVersion(Map.of("source", "mlflow-artifacts:/uploads/fraud-v1"));
        createVersion(Map.of("source", "mlflow-artifacts:/uploads/fraud-v1"));
        assertThat(importAll().exitCode()).isZero();
        // as if the import had stopped right after creating version 2's copy, before the state file said so
        Path stateFile = directory.resolve("state.json");
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode state = (ObjectNode) mapper.readTree(stateFile.toFile());
        ObjectNode model = (ObjectNode) state.path("models").path(MODEL);
        ((ObjectNode) model.path("versions")).remove("2");
        model.put("done", false);
        mapper.writeValue(stateFile.toFile(), state);

        Result again = importAll();

        assertThat(again.exitCode()).as(again.out()).isZero();
        assertThat(versionCount()).isEqualTo(2);
    }

    private int versionCount() {
        return axle.get("model-versions/search?filter=name%3D%27fraud%27")
                .path("model_versions")
                .size();
    }

    private void createVersion(Map<String, Object> fields) {
        Map<String, Object> body = new TreeMap<>(fields);
        body.put("name", MODEL);
        mlflow.post("model-versions/create", body);
    }

    private void transition(String version, String stage) {
        mlflow.post(
                "model-versions/transition-stage",
                Map.of("name", MODEL, "version", version, "stage", stage, "archive_existing_versions", false));
    }

    private JsonNode version(String version) {
        return axle.get("model-versions/get?name=" + MODEL + "&version=" + version)
                .path("model_version");
    }

    private static Map<String, String> aliases(JsonNode model) {
        Map<String, String> aliases = new TreeMap<>();
        model.path("aliases")
                .forEach(alias -> aliases.put(
                        alias.path("alias").asText(), alias.path("version").asText()));
        return aliases;
    }

    private static void upload(ApiClient api, String path, String content) {
        ApiClient.Response response =
                api.send(HttpRequest.newBuilder(api.uri("/api/2.0/mlflow-artifacts/artifacts/" + path))
                        .PUT(HttpRequest.BodyPublishers.ofString(content))
                        .build());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    private static String download(ApiClient api, String path) {
        ApiClient.Response response =
                api.send(HttpRequest.newBuilder(api.uri("/api/2.0/mlflow-artifacts/artifacts/" + path))
                        .GET()
                        .build());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    record Result(int exitCode, String out, String err) {}

    private Result importAll() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.execute(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                List.of(
                                "registry",
                                "import",
                                "--from-mlflow",
                                mlflowServer.url(),
                                "--tracking-uri",
                                axleServer.url(),
                                "--state-file",
                                directory.resolve("state.json").toString())
                        .toArray(String[]::new));
        return new Result(exitCode, out.toString(), err.toString());
    }
}
