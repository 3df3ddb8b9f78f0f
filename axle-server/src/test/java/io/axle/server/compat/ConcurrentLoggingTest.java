package io.axle.server.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.server.db.Dialect;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.ApiClient.Response;
import io.axle.server.testing.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Many clients writing to one run, or racing for one experiment name, through the real HTTP API. */
@ParameterizedClass(name = "{0}")
@EnumSource(Dialect.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class ConcurrentLoggingTest {
    private static final int WRITERS = 32;
    private static final int BATCHES_PER_WRITER = 4;
    private static final int STEPS_PER_BATCH = 10;
    private static final int PARAMS_PER_BATCH = 5;
    private static final long BASE_TIME = 1_700_000_000_000L;

    @TempDir
    static Path temporaryDirectory;

    @Parameter
    Dialect dialect;

    private TestServer server;
    private ApiClient api;

    @BeforeParameterizedClassInvocation
    void startServer() {
        server = TestServer.start(dialect, temporaryDirectory.resolve(dialect.name()));
        api = server.client();
    }

    @AfterParameterizedClassInvocation
    void stopServer() {
        server.close();
    }

    @Test
    void concurrentBatchesToOneRunAreAllKept() throws Exception {
        String runId = createRun();

        List<Response> responses = inParallel(WRITERS, writer -> () -> {
                    List<Response> mine = new ArrayList<>();
                    for (int batch = 0; batch < BATCHES_PER_WRITER; batch++) {
                        mine.add(api.post("runs/log-batch", batch(runId, writer, batch)));
                    }
                    return mine;
                })
                .stream()
                .flatMap(List::stream)
                .toList();

        assertThat(responses)
                .as("every log-batch succeeds")
                .allSatisfy(response ->
                        assertThat(response.status()).as(response.body()).isEqualTo(200));
        int batches = WRITERS * BATCHES_PER_WRITER;
        int lastStep = batches * STEPS_PER_BATCH - 1;
        for (String key : List.of("loss", "accuracy")) {
            JsonNode history = api.get("metrics/get-history?run_id=" + runId + "&metric_key=" + key)
                    .json()
                    .path("metrics");
            Set<Long> steps = new TreeSet<>();
            history.forEach(point -> steps.add(point.path("step").asLong()));
            assertThat(history).as("%s points", key).hasSize(batches * STEPS_PER_BATCH);
            assertThat(steps).as("%s steps", key).hasSize(batches * STEPS_PER_BATCH);
        }
        JsonNode data = api.get("runs/get?run_id=" + runId).json().path("run").path("data");
        Map<String, JsonNode> latest = byKey(data.path("metrics"));
        assertThat(latest.get("loss").path("step").asLong()).isEqualTo(lastStep);
        assertThat(latest.get("loss").path("value").asDouble()).isEqualTo(lossAt(lastStep));
        assertThat(latest.get("accuracy").path("step").asLong()).isEqualTo(lastStep);
        assertThat(latest.get("accuracy").path("value").asDouble()).isEqualTo(accuracyAt(lastStep));
        Map<String, JsonNode> params = byKey(data.path("params"));
        Map<String, JsonNode> tags = byKey(data.path("tags"));
        assertThat(params).hasSize(batches * PARAMS_PER_BATCH);
        for (int writer = 0; writer < WRITERS; writer++) {
            for (int batch = 0; batch < BATCHES_PER_WRITER; batch++) {
                for (int param = 0; param < PARAMS_PER_BATCH; param++) {
                    assertThat(params.get(paramKey(writer, batch, param))
                                    .path("value")
                                    .asText())
                            .isEqualTo(writer + "/" + batch + "/" + param);
                }
                assertThat(tags.get("writer-" + writer + "-batch-" + batch)
                                .path("value")
                                .asText())
                        .isEqualTo("done");
            }
        }
    }

    @Test
    void concurrentCreatorsOfOneExperimentNameGetOneSuccessAndTheRestAlreadyExists() throws Exception {
        String name = "race-" + UUID.randomUUID();

        List<Response> responses =
                inParallel(WRITERS, writer -> () -> api.post("experiments/create", Map.of("name", name)));

        assertThat(responses).filteredOn(response -> response.status() == 200).hasSize(1);
        assertThat(responses)
                .filteredOn(response -> response.status() != 200)
                .hasSize(WRITERS - 1)
                .allSatisfy(response -> {
                    assertThat(response.status()).as(response.body()).isEqualTo(400);
                    assertThat(response.errorCode()).isEqualTo("RESOURCE_ALREADY_EXISTS");
                });
        String id = responses.stream()
                .filter(response -> response.status() == 200)
                .findFirst()
                .orElseThrow()
                .json()
                .path("experiment_id")
                .asText();
        assertThat(api.get("experiments/get-by-name?experiment_name=" + name)
                        .json()
                        .path("experiment")
                        .path("experiment_id")
                        .asText())
                .isEqualTo(id);
    }

    @Test
    void concurrentWritersOfOneParamKeepTheFirstValueAndRefuseTheOthers() throws Exception {
        String runId = createRun();

        List<Response> responses = inParallel(
                WRITERS,
                writer -> () -> api.post(
                        "runs/log-parameter",
                        Map.of("run_id", runId, "key", "seed", "value", Integer.toString(writer))));

        List<Response> accepted =
                responses.stream().filter(response -> response.status() == 200).toList();
        assertThat(accepted).hasSize(1);
        assertThat(responses).filteredOn(response -> response.status() != 200).allSatisfy(response -> {
            assertThat(response.status()).as(response.body()).isEqualTo(400);
            assertThat(response.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        });
        JsonNode params = api.get("runs/get?run_id=" + runId)
                .json()
                .path("run")
                .path("data")
                .path("params");
        assertThat(params).hasSize(1);
    }

    private String createRun() {
        String experimentId = api.post("experiments/create", Map.of("name", "concurrency-" + UUID.randomUUID()))
                .json()
                .path("experiment_id")
                .asText();
        return api.post("runs/create", Map.of("experiment_id", experimentId))
                .json()
                .path("run")
                .path("info")
                .path("run_id")
                .asText();
    }

    private static Map<String, Object> batch(String runId, int writer, int batch) {
        int firstStep = (writer * BATCHES_PER_WRITER + batch) * STEPS_PER_BATCH;
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (int step = firstStep; step < firstStep + STEPS_PER_BATCH; step++) {
            metrics.add(Map.of("key", "loss", "value", lossAt(step), "timestamp", BASE_TIME + step, "step", step));
            metrics.add(
                    Map.of("key", "accuracy", "value", accuracyAt(step), "timestamp", BASE_TIME + step, "step", step));
        }
        List<Map<String, Object>> params = IntStream.range(0, PARAMS_PER_BATCH)
                .mapToObj(param -> Map.<String, Object>of(
                        "key", paramKey(writer, batch, param), "value", writer + "/" + batch + "/" + param))
                .toList();
        List<Map<String, Object>> tags =
                List.of(Map.of("key", "writer-" + writer + "-batch-" + batch, "value", "done"));
        return Map.of("run_id", runId, "metrics", metrics, "params", params, "tags", tags);
    }

    private static String paramKey(int writer, int batch, int param) {
        return "param-" + writer + "-" + batch + "-" + param;
    }

    private static double lossAt(long step) {
        return 1.0 / (step + 1);
    }

    private static double accuracyAt(long step) {
        return step / 10_000.0;
    }

    private static Map<String, JsonNode> byKey(JsonNode entries) {
        Map<String, JsonNode> result = new HashMap<>();
        entries.forEach(entry -> result.put(entry.path("key").asText(), entry));
        return result;
    }

    /** Runs {@code count} tasks on their own threads, released together, and returns their results in order. */
    private static <T> List<T> inParallel(int count, IntFunction<Callable<T>> task)
            throws InterruptedException, ExecutionException {
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newFixedThreadPool(count)) {
            List<Future<T>> futures = new ArrayList<>();
            for (int index = 0; index < count; index++) {
                Callable<T> work = task.apply(index);
                futures.add(threads.submit(() -> {
                    start.await();
                    return work.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }
}
