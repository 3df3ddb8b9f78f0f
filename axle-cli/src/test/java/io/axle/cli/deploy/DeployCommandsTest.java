package io.axle.cli.deploy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.gpu.Gpu;
import io.axle.gpu.GpuSnapshot;
import io.axle.gpu.metrics.GpuExporter;
import io.axle.gpu.metrics.GpuExporterConfig;
import io.axle.server.AxleServer;
import io.axle.server.ServerConfig;
import io.axle.server.deploy.DeployConfig;
import io.axle.server.testing.ApiClient;
import io.axle.server.webhooks.WebhookConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code axle deploy ...} against a real server whose publisher writes into a directory. */
class DeployCommandsTest {
    private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts/";

    @TempDir
    Path directory;

    private record Result(int exitCode, String out, String err) {}

    @Test
    void createsListsShowsRendersReleasesRollsBackAndDeletes() throws Exception {
        Path gitops = Files.createDirectories(directory.resolve("gitops"));
        DirectoryPublisher publisher = new DirectoryPublisher(gitops);
        Path data = Files.createDirectories(directory.resolve("data"));
        DeployConfig deploy = DeployConfig.defaults().withPublisher(publisher).withPollInterval(Duration.ofMillis(50));
        try (AxleServer server = AxleServer.start(ServerConfig.embedded(data), WebhookConfig.defaults(data), deploy)) {
            String uri = server.url();
            ApiClient api = new ApiClient(uri);
            String first = registerVersion(api, "fraud");
            String second = registerVersion(api, "fraud");

            Result created = deploy(
                    "create",
                    "fraud-api",
                    "--model",
                    "fraud",
                    "--alias",
                    "champion",
                    "--environment",
                    "production",
                    "--replicas",
                    "2",
                    "--env",
                    "AXLE_LOG_LEVEL=info",
                    "--image-repository",
                    "registry.example.com/ml/fraud",
                    "--git-url",
                    "https://git.example.com/ml/gitops.git",
                    "--git-path",
                    "deploy",
                    "--git-password-env",
                    "AXLE_GIT_TOKEN",
                    "--git-username-env",
                    "AXLE_GIT_USER",
                    "--tracking-uri",
                    uri);
            assertThat(created.exitCode()).as(created.err()).isZero();
            assertThat(created.out()).contains("Created deployment fraud-api: Waiting for models:/fraud@champion");

            Path file = directory.resolve("churn.yaml");
            Files.writeString(file, """
                    name: churn-api
                    registered_model: churn
                    follows: {stage: Production}
                    environment: {name: staging}
                    image_repository: registry.example.com/ml/churn
                    gitops: {repository_url: "https://git.example.com/ml/gitops.git"}
                    """);
            Result fromFile = deploy("create", "--file", file.toString(), "--replicas", "3", "--tracking-uri", uri);
            assertThat(fromFile.exitCode()).as(fromFile.err()).isZero();

            Result listed = deploy("list", "--tracking-uri", uri);
            assertThat(listed.out())
                    .contains("fraud-api")
                    .contains("fraud@champion")
                    .contains("churn/Production")
                    .contains("PENDING");

            Result shown = deploy("show", "churn-api", "--tracking-uri", uri);
            assertThat(shown.out()).contains("\"replicas\" : 3").contains("\"namespace\" : \"staging\"");

            Result updated = deploy("update", "churn-api", "--replicas", "4", "--tracking-uri", uri);
            assertThat(updated.exitCode()).as(updated.err()).isZero();
            assertThat(deploy("show", "churn-api", "--tracking-uri", uri).out()).contains("\"replicas\" : 4");

            Path out = directory.resolve("rendered");
            Result rendered =
                    deploy("render", "fraud-api", "--version", first, "--out", out.toString(), "--tracking-uri", uri);
            assertThat(rendered.exitCode()).as(rendered.err()).isZero();
            assertThat(out.resolve("deploy/production/fraud-api/deployment.yaml"))
                    .content()
                    .contains("models:/fraud/1");
            assertThat(deploy("render", "fraud-api", "--version", second, "--tracking-uri", uri)
                            .out())
                    .contains("# deploy/production/fraud-api/deployment.yaml")
                    .contains("models:/fraud/2");
            assertThat(publisher.commits()).isZero();

            api.post("registered-models/alias", Map.of("name", "fraud", "alias", "champion", "version", first));
            await(() -> publisher.commits() == 1);
            api.post("registered-models/alias", Map.of("name", "fraud", "alias", "champion", "version", second));
            await(() -> deploy("history", "fraud-api", "--tracking-uri", uri)
                            .out()
                            .lines()
                            .count()
                    == 3);
            assertThat(gitops.resolve("deploy/production/fraud-api/deployment.yaml"))
                    .content()
                    .contains("models:/fraud/2");

            Result rolledBack = deploy("rollback", "fraud-api", "--tracking-uri", uri);
            assertThat(rolledBack.exitCode()).as(rolledBack.err()).isZero();
            assertThat(rolledBack.out()).contains("Moved fraud@champion to version 1");
            await(() -> publisher.commits() == 3);
            assertThat(gitops.resolve("deploy/production/fraud-api/deployment.yaml"))
                    .content()
                    .contains("models:/fraud/1");

            assertThat(deploy("delete", "churn-api", "--tracking-uri", uri).out())
                    .contains("Deleted deployment churn-api");
            assertThat(deploy("show", "churn-api", "--tracking-uri", uri).exitCode())
                    .isNotZero();
        }
    }

    private static String registerVersion(ApiClient api, String model) {
        api.post("registered-models/create", Map.of("name", model));
        JsonNode run =
                api.post("runs/create", Map.of("experiment_id", "0")).json().path("run");
        String runId = run.path("info").path("run_id").asText();
        String root = run.path("info").path("artifact_uri").asText().replaceFirst("^mlflow-artifacts:/", "");
        api.put(PROXY + root + "/model/MLmodel", "flavors:\n  onnx: {}\n".getBytes(UTF_8));
        api.put(PROXY + root + "/model/model.onnx", runId.getBytes(UTF_8));
        return api.post("model-versions/create", Map.of("name", model, "source", "runs:/" + runId + "/model"))
                .json()
                .path("model_version")
                .path("version")
                .asText();
    }

    @Test
    void poolsListsThePoolsAndWhatAPoolsExportersReportNow() throws Exception {
        Path data = Files.createDirectories(directory.resolve("data"));
        DeployConfig deploy = DeployConfig.defaults()
                .withPublisher(new DirectoryPublisher(Files.createDirectories(directory.resolve("gitops"))));
        GpuSnapshot snapshot = new GpuSnapshot(
                "node-1",
                "snapshot",
                Instant.EPOCH,
                Optional.empty(),
                Optional.empty(),
                List.of(Gpu.basic(
                        0, "GPU-5f2a9c1e-7d1b", "NVIDIA L4", "00000000:3B:00.0", 24L << 30, 4L << 30, 20L << 30)));
        try (AxleServer server = AxleServer.start(ServerConfig.embedded(data), WebhookConfig.defaults(data), deploy);
                GpuExporter exporter = GpuExporter.start(
                        new GpuExporterConfig("127.0.0.1", 0, Duration.ZERO), () -> snapshot, List::of)) {
            String uri = server.url();
            ApiClient api = new ApiClient(uri);
            assertThat(deploy("pools", "--tracking-uri", uri).out()).contains("No GPU pools.");
            String metrics = exporter.metricsUrl().toString();
            assertThat(api.post(
                                    "/api/2.0/axle/gpu-pools",
                                    Map.of("name", "l4", "memory_per_gpu", "24GiB", "exporters", List.of(metrics)))
                            .status())
                    .isEqualTo(200);

            Result pools = deploy("pools", "--tracking-uri", uri);
            assertThat(pools.exitCode()).as(pools.err()).isZero();
            assertThat(pools.out()).contains("l4").contains("1 × 1 × 24.0 GiB").contains(metrics);

            Result gpus = deploy("pools", "l4", "--tracking-uri", uri);
            assertThat(gpus.exitCode()).as(gpus.err()).isZero();
            assertThat(gpus.out())
                    .contains(metrics + " (node-1)")
                    .contains("GPU-5f2a9c1e-7d1b")
                    .contains("total 24.0 GiB")
                    .contains("free 20.0 GiB");
        }
    }

    private static Result deploy(String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new DeployCommand());
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int exitCode = command.execute(arguments);
        return new Result(exitCode, out.toString(), err.toString());
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out").isLessThan(deadline);
            Thread.sleep(25);
        }
    }
}
