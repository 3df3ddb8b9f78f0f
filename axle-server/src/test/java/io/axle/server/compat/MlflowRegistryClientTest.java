package io.axle.server.compat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.server.db.Dialect;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.TestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.mlflow.api.proto.ModelRegistry.ModelVersion;
import org.mlflow.api.proto.ModelRegistry.ModelVersionStatus;
import org.mlflow.api.proto.ModelRegistry.RegisteredModel;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.ModelVersionsPage;

/**
 * MLflow's own Java client, unmodified, against the model registry of a real Axle server on H2 and on PostgreSQL:
 * its typed registry calls, and {@code sendPost}/{@code sendGet} for the calls it has no typed method for.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Dialect.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class MlflowRegistryClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path temporaryDirectory;

    @Parameter
    Dialect dialect;

    private TestServer server;
    private MlflowClient client;
    private ApiClient http;

    @BeforeParameterizedClassInvocation
    void startServer() {
        server = TestServer.start(dialect, temporaryDirectory.resolve(dialect.name()));
        client = new MlflowClient(server.url());
        http = server.client();
    }

    @AfterParameterizedClassInvocation
    void stopServer() {
        client.close();
        server.close();
    }

    @Test
    void registersVersionsAndReadsThemBackThroughTheTypedCalls() throws IOException {
        String name = unique("fraud");
        String runId = runWithModel();
        post("registered-models/create", Map.of("name", name, "description", "card fraud"));
        post("model-versions/create", Map.of("name", name, "source", "runs:/" + runId + "/model", "run_id", runId));
        post("model-versions/create", Map.of("name", name, "source", "runs:/" + runId + "/model", "run_id", runId));

        RegisteredModel model = client.getRegisteredModel(name);
        assertThat(model.getName()).isEqualTo(name);
        assertThat(model.getDescription()).isEqualTo("card fraud");
        assertThat(model.getLatestVersionsList())
                .extracting(ModelVersion::getVersion)
                .containsExactly("2");

        ModelVersion version = client.getModelVersion(name, "1");
        assertThat(version.getStatus()).isEqualTo(ModelVersionStatus.READY);
        assertThat(version.getRunId()).isEqualTo(runId);
        assertThat(version.getSource()).isEqualTo("runs:/" + runId + "/model");
        assertThat(version.getCurrentStage()).isEqualTo("None");

        assertThat(client.getModelVersionDownloadUri(name, "1")).isEqualTo("mlflow-artifacts:/models/" + name + "/1");
    }

    @Test
    void stagesAndLatestVersionsAsTheClientSeesThem() throws IOException {
        String name = unique("staged");
        String runId = runWithModel();
        post("registered-models/create", Map.of("name", name));
        for (int i = 0; i < 3; i++) {
            post("model-versions/create", Map.of("name", name, "source", "runs:/" + runId + "/model"));
        }
        post(
                "model-versions/transition-stage",
                Map.of("name", name, "version", "1", "stage", "Production", "archive_existing_versions", false));
        JsonNode moved = post(
                "model-versions/transition-stage",
                Map.of("name", name, "version", "2", "stage", "Production", "archive_existing_versions", true));
        assertThat(moved.path("model_version").path("current_stage").asText()).isEqualTo("Production");
        post(
                "model-versions/transition-stage",
                Map.of("name", name, "version", "3", "stage", "Staging", "archive_existing_versions", false));

        assertThat(client.getLatestVersions(name, List.of("Production")))
                .extracting(ModelVersion::getVersion)
                .containsExactly("2");
        assertThat(client.getLatestVersions(name))
                .extracting(ModelVersion::getCurrentStage, ModelVersion::getVersion)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("Archived", "1"),
                        org.assertj.core.groups.Tuple.tuple("Production", "2"),
                        org.assertj.core.groups.Tuple.tuple("Staging", "3"));
    }

    @Test
    void aliasesAreSetMovedReadAndDeleted() throws IOException {
        String name = unique("aliased");
        String runId = runWithModel();
        post("registered-models/create", Map.of("name", name));
        post("model-versions/create", Map.of("name", name, "source", "runs:/" + runId + "/model"));
        post("model-versions/create", Map.of("name", name, "source", "runs:/" + runId + "/model"));

        post("registered-models/alias", Map.of("name", name, "alias", "champion", "version", "1"));
        post("registered-models/alias", Map.of("name", name, "alias", "champion", "version", "2"));
        JsonNode byAlias = JSON.readTree(client.sendGet("registered-models/alias?name=" + name + "&alias=champion"));
        assertThat(byAlias.path("model_version").path("version").asText()).isEqualTo("2");
        assertThat(client.getModelVersion(name, "2").getAliasesList()).containsExactly("champion");
        assertThat(client.getRegisteredModel(name).getAliasesList())
                .extracting(alias -> alias.getAlias() + "=" + alias.getVersion())
                .containsExactly("champion=2");

        assertThat(http.delete("registered-models/alias", Map.of("name", name, "alias", "champion"))
                        .status())
                .isEqualTo(200);
        assertThatThrownBy(() -> client.sendGet("registered-models/alias?name=" + name + "&alias=champion"))
                .isInstanceOf(MlflowHttpException.class)
                .satisfies(failure -> assertThat(((MlflowHttpException) failure).getStatusCode())
                        .isEqualTo(404));
    }

    @Test
    void searchModelVersionsPagesThroughEveryVersionOnce() throws IOException {
        String name = unique("paged");
        String runId = runWithModel();
        post("registered-models/create", Map.of("name", name));
        for (int i = 0; i < 5; i++) {
            post("model-versions/create", Map.of("name", name, "source", "runs:/" + runId + "/model"));
        }
        ModelVersionsPage first = client.searchModelVersions("name = '" + name + "'", 2, List.of("version_number ASC"));
        assertThat(first.getItems()).extracting(ModelVersion::getVersion).containsExactly("1", "2");
        ModelVersionsPage second = (ModelVersionsPage) first.getNextPage();
        assertThat(second.getItems()).extracting(ModelVersion::getVersion).containsExactly("3", "4");
        ModelVersionsPage third = (ModelVersionsPage) second.getNextPage();
        assertThat(third.getItems()).extracting(ModelVersion::getVersion).containsExactly("5");
        assertThat(third.hasNextPage()).isFalse();

        assertThat(client.searchModelVersions("run_id = '" + runId + "'").getItems())
                .hasSize(5);
    }

    @Test
    void anUnknownModelIsTheClientsHttpError() {
        assertThatThrownBy(() -> client.getRegisteredModel(unique("missing")))
                .isInstanceOf(MlflowHttpException.class)
                .satisfies(failure -> {
                    MlflowHttpException http = (MlflowHttpException) failure;
                    assertThat(http.getStatusCode()).isEqualTo(404);
                    assertThat(http.getBodyMessage()).contains("RESOURCE_DOES_NOT_EXIST");
                });
    }

    private String runWithModel() {
        RunInfo run = client.createRun();
        String root = run.getArtifactUri().replaceFirst("^mlflow-artifacts:/", "");
        for (Map.Entry<String, String> file : Map.of("MLmodel", "flavors:\n  onnx: {}\n", "model.onnx", "weights")
                .entrySet()) {
            int status = http.put(
                            "/api/2.0/mlflow-artifacts/artifacts/" + root + "/model/" + file.getKey(),
                            file.getValue().getBytes(UTF_8))
                    .status();
            assertThat(status).isEqualTo(200);
        }
        return run.getRunId();
    }

    private JsonNode post(String path, Object body) throws IOException {
        return JSON.readTree(client.sendPost(path, JSON.writeValueAsString(body)));
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
