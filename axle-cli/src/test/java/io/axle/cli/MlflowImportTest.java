package io.axle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.axle.server.db.Dialect;
import io.axle.server.testing.TestServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code axle registry import --from-mlflow} between two real servers: one Axle server plays the MLflow tracking
 * server (it speaks MLflow's REST API), the other receives the copy; everything is compared through the API.
 */
final class MlflowImportTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final int LONG_HISTORY = 1200;

    @TempDir
    Path directory;

    private TestServer mlflowServer;
    private TestServer axleServer;
    private MlflowSource mlflow;
    private MlflowSource axle;
    private final Map<String, String> runIds = new TreeMap<>();

    record Result(int exitCode, String out, String err) {}

    @BeforeEach
    void startServers() {
        mlflowServer = TestServer.start(Dialect.H2, directory.resolve("mlflow"));
        axleServer = TestServer.start(Dialect.H2, directory.resolve("axle"));
        mlflow = new MlflowSource(mlflowServer.client());
        axle = new MlflowSource(axleServer.client());
    }

    @AfterEach
    void stopServers() {
        axleServer.close();
        mlflowServer.close();
    }

    @Test
    void copiesExperimentsRunsMetricHistoriesDatasetsAndArtifacts() {
        seed();

        Result result = importFrom(mlflowServer.url());

        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.err()).isEmpty();
        assertSameContent();
        assertThat(result.out())
                .contains("Imported from " + mlflowServer.url() + " into " + axleServer.url())
                .containsPattern("experiments +3\\b")
                .containsPattern("runs +6\\b")
                .containsPattern("metric points +" + (LONG_HISTORY + 10 + 5 + 3 + 1 + 1) + "\\b")
                .containsPattern("artifacts +6 files, \\d+ bytes")
                .doesNotContain("Failed")
                .doesNotContain("Skipped");
    }

    @Test
    void aSecondImportFindsEverythingCopiedAndDuplicatesNothing() {
        seed();
        assertThat(importFrom(mlflowServer.url()).exitCode()).isZero();

        Result again = importFrom(mlflowServer.url());

        assertThat(again.exitCode()).as(again.out()).isZero();
        // the deleted experiment can get no new runs, so its run is not looked at again: 5 of the 6 are
        assertThat(again.out()).containsPattern("runs +0 \\(5 done before\\)").containsPattern("metric points +0\\b");
        assertSameContent();
    }

    @Test
    void anImportCutShortContinuesWhereItStoppedWithoutDuplicates() {
        seed();
        try (FaultyProxy proxy = FaultyProxy.inFrontOf(mlflowServer.url())) {
            // the long history breaks after its first thousand points are copied; another run cannot list artifacts
            AtomicInteger historyPages = new AtomicInteger();
            String baseline = runIds.get("baseline");
            String fourth = runIds.get("fourth");
            Predicate<URI> historyBreaks = uri -> uri.getPath().endsWith("/metrics/get-history")
                    && uri.getQuery().contains("run_id=" + baseline)
                    && uri.getQuery().contains("metric_key=loss")
                    && historyPages.incrementAndGet() > 340;
            Predicate<URI> listingBreaks = uri ->
                    uri.getPath().endsWith("/artifacts/list") && uri.getQuery().contains("run_id=" + fourth);
            proxy.failWhen(historyBreaks.or(listingBreaks));

            Result cutShort = importFrom(proxy.url());

            assertThat(cutShort.exitCode()).as(cutShort.out()).isEqualTo(1);
            assertThat(cutShort.out())
                    .contains("Failed (2):")
                    .contains("run " + baseline)
                    .contains("run " + fourth)
                    .contains("injected failure")
                    .contains("Run the same command again");
            JsonNode copiedBaseline = targetRun("alpha", "baseline");
            assertThat(axle.history(copiedBaseline.path("info").path("run_id").asText(), "loss"))
                    .hasSizeBetween(1, LONG_HISTORY - 1);
            assertThat(targetRun("alpha", "fourth").path("info").path("status").asText())
                    .isEqualTo("RUNNING");

            proxy.heal();
            Result resumed = importFrom(proxy.url());

            assertThat(resumed.exitCode()).as(resumed.out()).isZero();
            assertThat(resumed.out()).containsPattern("runs +0 \\(3 done before\\)");
            assertSameContent();
        }
    }

    @Test
    void aRunCopiedButNotRecordedIsFoundAgainNotCopiedTwice() throws IOException {
        seed();
        assertThat(importFrom(mlflowServer.url()).exitCode()).isZero();
        // as if the import had stopped right after creating the copy, before the state file said so
        Path stateFile = directory.resolve("state.json");
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode state = (ObjectNode) mapper.readTree(stateFile.toFile());
        ((ObjectNode) state.path("runs")).remove(runIds.get("baseline"));
        mapper.writeValue(stateFile.toFile(), state);

        Result again = importFrom(mlflowServer.url());

        assertThat(again.exitCode()).as(again.out()).isZero();
        assertThat(again.out())
                .containsPattern("runs +1 \\(4 done before\\)")
                .containsPattern("metric points +0\\b")
                .containsPattern("artifacts +0 files, 0 bytes \\(4 files already there\\)");
        assertSameContent();
    }

    @Test
    void aStateFileOfAnotherImportIsRefused() throws IOException {
        Path state = directory.resolve("state.json");
        Files.writeString(
                state,
                "{\"format\":1,\"source\":\"http://elsewhere:5000\",\"target\":\"http://other:5000\",\"runs\":{}}");

        Result result = importFrom(mlflowServer.url());

        assertThat(result.exitCode()).isEqualTo(1);
        assertOneLine(result.err());
        assertThat(result.err()).contains("http://elsewhere:5000").contains("--state-file");
    }

    @Test
    void aStateFileThatIsNotOneIsRefused() throws IOException {
        Files.writeString(directory.resolve("state.json"), "not json at all");

        Result result = importFrom(mlflowServer.url());

        assertThat(result.exitCode()).isEqualTo(1);
        assertOneLine(result.err());
        assertThat(result.err()).contains("is not an import state").contains("--state-file");
    }

    @Test
    void aSourceUrlThatIsNoUrlIsOneClearLine() {
        Result result = run("registry", "import", "--from-mlflow", "mlflow-box", "--tracking-uri", axleServer.url());

        assertThat(result.exitCode()).isEqualTo(1);
        assertOneLine(result.err());
        assertThat(result.err())
                .contains("'mlflow-box' is not a tracking server URL")
                .contains("--from-mlflow");
    }

    @Test
    void anUnreachableSourceIsOneClearLine() throws IOException {
        String nowhere = "http://127.0.0.1:" + freePort();

        Result result = run("registry", "import", "--from-mlflow", nowhere, "--tracking-uri", axleServer.url());

        assertThat(result.exitCode()).isEqualTo(1);
        assertOneLine(result.err());
        assertThat(result.err())
                .startsWith("axle: Cannot reach the tracking server at " + nowhere)
                .contains("--from-mlflow");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void anUnreachableTargetSaysHowToNameIt() throws IOException {
        String nowhere = "http://127.0.0.1:" + freePort();

        Result result = run("registry", "import", "--from-mlflow", mlflowServer.url(), "--tracking-uri", nowhere);

        assertThat(result.exitCode()).isEqualTo(1);
        assertOneLine(result.err());
        assertThat(result.err())
                .startsWith("axle: Cannot reach the tracking server at " + nowhere)
                .endsWith("(set --tracking-uri or MLFLOW_TRACKING_URI)\n");
    }

    @Test
    void aServerThatIsNotMlflowIsOneClearLine() throws IOException {
        HttpServer web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        web.createContext("/", exchange -> {
            byte[] page = "<html><body>Welcome</body></html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        web.start();
        try {
            String url = "http://127.0.0.1:" + web.getAddress().getPort();

            Result result = run("registry", "import", "--from-mlflow", url, "--tracking-uri", axleServer.url());

            assertThat(result.exitCode()).isEqualTo(1);
            assertOneLine(result.err());
            assertThat(result.err()).contains(url + " (--from-mlflow) does not answer as an MLflow tracking server");
        } finally {
            web.stop(0);
        }
    }

    @Test
    void theTrackingUriComesFromTheEnvironment() throws IOException {
        String nowhere = "http://127.0.0.1:" + freePort();

        AxleProcess.Result result = AxleProcess.run(
                directory,
                Map.of("MLFLOW_TRACKING_URI", nowhere),
                "registry",
                "import",
                "--from-mlflow",
                mlflowServer.url());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
        assertOneLine(result.err());
        assertThat(result.err()).contains("Cannot reach the tracking server at " + nowhere);
    }

    @Test
    void theHelpNamesTheOptionsAndTheirEnvironmentVariable() {
        Result result = run("registry", "import", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
                .contains("--from-mlflow")
                .contains("--tracking-uri")
                .contains("MLFLOW_TRACKING_URI")
                .contains("--state-file");
    }

    /**
     * Two experiments and the Default one; runs finished, killed and deleted, still running; params, tags, a NaN,
     * a history of more than a thousand points and of many pages, datasets; artifacts in nested directories, a
     * binary file and a name with a space; an experiment deleted after its run.
     */
    private void seed() {
        String alpha = mlflow.createExperiment("alpha", Map.of("team", "vision", "mlflow.note.content", "notes"));
        String beta = mlflow.createExperiment("beta", Map.of("purpose", "to be deleted"));

        JsonNode baseline = run(alpha, "baseline", T0);
        String baselineId = baseline.path("run_id").asText();
        mlflow.logParams(baselineId, Map.of("lr", "0.01", "epochs", "10", "optimizer", "adam"));
        mlflow.logTags(baselineId, Map.of("stage", "dev", "mlflow.source.name", "train.py"));
        mlflow.logHistory(baselineId, "loss", LONG_HISTORY);
        mlflow.logHistory(baselineId, "accuracy", 10);
        mlflow.logDataset(baselineId, "train", "training");
        mlflow.logDataset(baselineId, "eval", "evaluation");
        byte[] weights = new byte[300_000];
        new Random(7).nextBytes(weights);
        mlflow.upload(baseline, "model/weights.bin", weights);
        mlflow.upload(baseline, "model/conf/config.yaml", "lr: 0.01\n".getBytes(StandardCharsets.UTF_8));
        mlflow.upload(baseline, "notes with space.txt", "a note".getBytes(StandardCharsets.UTF_8));
        mlflow.upload(baseline, "deep/a/b/c/leaf.txt", "leaf".getBytes(StandardCharsets.UTF_8));
        mlflow.finish(baselineId, "FINISHED", T0 + 60_000);

        String killed = run(alpha, "killed", T0 + 1).path("run_id").asText();
        mlflow.logParams(killed, Map.of("lr", "0.1"));
        mlflow.logHistory(killed, "loss", 5);
        mlflow.finish(killed, "KILLED", T0 + 2_000);
        mlflow.post("runs/delete", Map.of("run_id", killed));

        String running = run(alpha, "still-running", T0 + 2).path("run_id").asText();
        mlflow.logHistory(running, "loss", 3);

        JsonNode fourth = run(alpha, "fourth", T0 + 3);
        mlflow.upload(fourth, "summary.json", "{}".getBytes(StandardCharsets.UTF_8));
        mlflow.finish(fourth.path("run_id").asText(), "FINISHED", T0 + 4_000);

        JsonNode inDefault = run("0", "in-default", T0 + 4);
        mlflow.logParams(inDefault.path("run_id").asText(), Map.of("seed", "42"));
        mlflow.logHistory(inDefault.path("run_id").asText(), "loss", 1);
        mlflow.upload(inDefault, "a.txt", "a".getBytes(StandardCharsets.UTF_8));
        mlflow.finish(inDefault.path("run_id").asText(), "FINISHED", T0 + 5_000);

        String betaRun = run(beta, "beta-run", T0 + 5).path("run_id").asText();
        mlflow.logHistory(betaRun, "loss", 1);
        mlflow.finish(betaRun, "FAILED", T0 + 6_000);
        mlflow.post("experiments/delete", Map.of("experiment_id", beta));
    }

    private JsonNode run(String experimentId, String name, long startTime) {
        JsonNode info = mlflow.createRun(experimentId, name, startTime);
        runIds.put(name, info.path("run_id").asText());
        return info;
    }

    /** Everything in the source is in the target, the same, and nothing more. */
    private void assertSameContent() {
        Map<String, JsonNode> sourceExperiments = mlflow.experiments();
        Map<String, JsonNode> targetExperiments = axle.experiments();
        assertThat(targetExperiments.keySet()).containsExactlyInAnyOrderElementsOf(sourceExperiments.keySet());
        sourceExperiments.forEach((name, experiment) -> {
            JsonNode copy = targetExperiments.get(name);
            assertThat(copy.path("lifecycle_stage").asText())
                    .as(name)
                    .isEqualTo(experiment.path("lifecycle_stage").asText());
            assertThat(keyValues(copy.path("tags"))).as(name).isEqualTo(keyValues(experiment.path("tags")));
            assertSameRuns(
                    experiment.path("experiment_id").asText(),
                    copy.path("experiment_id").asText());
        });
    }

    private void assertSameRuns(String sourceExperimentId, String targetExperimentId) {
        Map<String, JsonNode> sourceRuns = mlflow.runs(sourceExperimentId);
        Map<String, JsonNode> targetRuns = axle.runs(targetExperimentId);
        assertThat(targetRuns.keySet()).containsExactlyInAnyOrderElementsOf(sourceRuns.keySet());
        assertThat(axle.post(
                                "runs/search",
                                Map.of(
                                        "experiment_ids",
                                        List.of(targetExperimentId),
                                        "run_view_type",
                                        "ALL",
                                        "max_results",
                                        1000))
                        .path("runs")
                        .size())
                .isEqualTo(sourceRuns.size());
        sourceRuns.forEach((name, listed) -> {
            JsonNode original = mlflow.run(listed.path("info").path("run_id").asText());
            JsonNode copy =
                    axle.run(targetRuns.get(name).path("info").path("run_id").asText());
            assertSameRun(name, original, copy);
        });
    }

    private void assertSameRun(String name, JsonNode original, JsonNode copy) {
        JsonNode info = original.path("info");
        JsonNode copyInfo = copy.path("info");
        for (String field : List.of("status", "start_time", "end_time", "lifecycle_stage", "user_id", "run_name")) {
            assertThat(copyInfo.path(field).asText())
                    .as(name + " " + field)
                    .isEqualTo(info.path(field).asText());
        }
        assertThat(keyValues(copy.path("data").path("params")))
                .as(name + " params")
                .isEqualTo(keyValues(original.path("data").path("params")));
        assertThat(keyValues(copy.path("data").path("tags")))
                .as(name + " tags")
                .isEqualTo(keyValues(original.path("data").path("tags")));
        List<String> keys = new ArrayList<>();
        original.path("data")
                .path("metrics")
                .forEach(metric -> keys.add(metric.path("key").asText()));
        assertThat(copy.path("data").path("metrics").size())
                .as(name + " metrics")
                .isEqualTo(keys.size());
        String runId = info.path("run_id").asText();
        String copyId = copyInfo.path("run_id").asText();
        for (String key : keys) {
            assertThat(axle.history(copyId, key)).as(name + " " + key).isEqualTo(mlflow.history(runId, key));
        }
        assertThat(inputs(copy)).as(name + " inputs").isEqualTo(inputs(original));
        Map<String, byte[]> files = mlflow.artifacts(runId);
        Map<String, byte[]> copiedFiles = axle.artifacts(copyId);
        assertThat(copiedFiles.keySet()).as(name + " artifacts").containsExactlyInAnyOrderElementsOf(files.keySet());
        files.forEach(
                (path, content) -> assertThat(copiedFiles.get(path)).as(path).isEqualTo(content));
    }

    private JsonNode targetRun(String experimentName, String runName) {
        String experimentId =
                axle.experiments().get(experimentName).path("experiment_id").asText();
        return axle.runs(experimentId).get(runName);
    }

    private static Map<String, String> keyValues(JsonNode pairs) {
        Map<String, String> values = new TreeMap<>();
        pairs.forEach(
                pair -> values.put(pair.path("key").asText(), pair.path("value").asText()));
        return values;
    }

    private static List<String> inputs(JsonNode run) {
        List<String> inputs = new ArrayList<>();
        run.path("inputs").path("dataset_inputs").forEach(input -> inputs.add(input.toString()));
        return inputs.stream().sorted().toList();
    }

    private Result importFrom(String sourceUrl) {
        return run(
                "registry",
                "import",
                "--from-mlflow",
                sourceUrl,
                "--tracking-uri",
                axleServer.url(),
                "--state-file",
                directory.resolve("state.json").toString(),
                "--page-size",
                "3");
    }

    private static Result run(String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), arguments);
        return new Result(exitCode, out.toString(), err.toString());
    }

    private static void assertOneLine(String err) {
        assertThat(err.strip().lines()).as(err).hasSize(1);
        assertThat(err).startsWith("axle: ").doesNotContain("\tat ").doesNotContain("Exception");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
