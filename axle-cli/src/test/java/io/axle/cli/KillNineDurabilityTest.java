package io.axle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.server.db.BackendStore;
import io.axle.server.db.Dialect;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.ApiClient.Response;
import io.axle.server.testing.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A real {@code axle server} process killed with SIGKILL while writers are busy, then started again on the same
 * data: every write it acknowledged is there, and a log-batch the kill cut off is there whole or not at all. Runs on
 * the default embedded H2 file database and on PostgreSQL.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Dialect.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class KillNineDurabilityTest {
    private static final int WRITERS = 8;
    private static final int KILL_AFTER_ACKNOWLEDGED_BATCHES = 24;
    private static final List<String> METRIC_KEYS =
            List.of("loss", "accuracy", "lr", "precision", "recall", "f1", "auc", "grad-norm");
    private static final int STEPS_PER_BATCH = 100;
    private static final int PARAMS_PER_BATCH = 100;
    private static final int TAGS_PER_BATCH = 100;

    @TempDir
    static Path temporaryDirectory;

    @Parameter
    Dialect dialect;

    // one instance serves every invocation of the class: the scenario's state is set afresh by each
    private Optional<BackendStore> database;
    private AxleProcess restarted;
    private ApiClient api;
    private List<Writer> writers;
    private List<String> createdRuns;
    private List<String> taggedModels;
    private String experimentId;

    /** One writer's run and what happened to each batch it sent there. */
    private record Writer(String runId, List<Integer> sent, List<Integer> acknowledged) {}

    @BeforeParameterizedClassInvocation
    void writeKillAndRestart() throws IOException, InterruptedException {
        Path directory = temporaryDirectory.resolve(dialect.name());
        database = Optional.empty();
        restarted = null;
        writers = new ArrayList<>();
        createdRuns = new CopyOnWriteArrayList<>();
        taggedModels = new CopyOnWriteArrayList<>();
        List<String> arguments = new ArrayList<>(List.of(
                "--port", "0",
                "--data-dir", directory.resolve("data").toString(),
                "--artifacts-destination", directory.resolve("artifacts").toString()));
        if (dialect == Dialect.POSTGRESQL) {
            BackendStore store = TestDatabases.create(Dialect.POSTGRESQL);
            database = Optional.of(store);
            arguments.addAll(List.of(
                    "--backend-store-uri",
                    store.jdbcUrl() + "?user=" + store.user().orElse("postgres")));
        }
        Files.createDirectories(directory);

        try (AxleProcess first = AxleProcess.startServer(directory, Map.of(), arguments.toArray(String[]::new))) {
            writeUntilKilled(first);
        }

        restarted = AxleProcess.startServer(directory, Map.of(), arguments.toArray(String[]::new));
        api = restarted.client();
    }

    /** Writers log batches, and a creator makes runs, until the server is killed right after an acknowledgement. */
    private void writeUntilKilled(AxleProcess first) throws InterruptedException {
        ApiClient before = first.client();
        experimentId = before.post("experiments/create", Map.of("name", "durability-" + UUID.randomUUID()))
                .json()
                .path("experiment_id")
                .asText();
        for (int index = 0; index < WRITERS; index++) {
            writers.add(new Writer(
                    createRun(before, experimentId), new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>()));
        }
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        List<String> refusals = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (Writer writer : writers) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int batch = 0; ; batch++) {
                        writer.sent().add(batch);
                        Response response = before.post("runs/log-batch", batch(writer.runId(), batch));
                        if (response.status() != 200) {
                            refusals.add(response.body());
                            killed.set(true);
                            return;
                        }
                        writer.acknowledged().add(batch);
                        // the kill comes right after an acknowledgement, while another writer's batch is in flight
                        if (acknowledged.incrementAndGet() >= KILL_AFTER_ACKNOWLEDGED_BATCHES
                                && writers.stream().anyMatch(other -> other != writer && inFlight(other))
                                && killed.compareAndSet(false, true)) {
                            first.kill();
                            return;
                        }
                    }
                } catch (UncheckedIOException expected) {
                    // the server is gone
                }
            }));
        }
        threads.add(Thread.ofPlatform().start(() -> {
            try {
                while (!killed.get()) {
                    Response response = before.post("runs/create", Map.of("experiment_id", experimentId));
                    if (response.status() != 200) {
                        refusals.add(response.body());
                        return;
                    }
                    createdRuns.add(response.json()
                            .path("run")
                            .path("info")
                            .path("run_id")
                            .asText());
                    Thread.sleep(10);
                }
            } catch (UncheckedIOException expected) {
                // the server is gone
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        threads.add(Thread.ofPlatform().start(() -> {
            try {
                while (!killed.get()) {
                    String name = "durable-" + UUID.randomUUID();
                    Response created = before.post("registered-models/create", Map.of("name", name));
                    Response tagged = before.post(
                            "registered-models/set-tag", Map.of("name", name, "key", "stage", "value", "kept"));
                    if (created.status() != 200 || tagged.status() != 200) {
                        refusals.add(created.body() + tagged.body());
                        return;
                    }
                    taggedModels.add(name);
                }
            } catch (UncheckedIOException expected) {
                // the server is gone
            }
        }));
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(refusals).as("answers other than 200 before the kill").isEmpty();
        assertThat(acknowledged.get()).isGreaterThanOrEqualTo(KILL_AFTER_ACKNOWLEDGED_BATCHES);
    }

    @AfterParameterizedClassInvocation
    void stopServer() {
        if (restarted != null) {
            restarted.close();
        }
        database.ifPresent(TestDatabases::drop);
    }

    @Test
    void everyAcknowledgedBatchIsThereAfterTheKill() {
        for (Writer writer : writers) {
            Contents contents = contents(writer.runId());
            for (int batch : writer.acknowledged()) {
                assertThat(contents.count(batch))
                        .as("batch %d of run %s", batch, writer.runId())
                        .isEqualTo(batchSize());
            }
            for (int batch : writer.acknowledged()) {
                for (int param = 0; param < PARAMS_PER_BATCH; param++) {
                    assertThat(contents.params().get(paramKey(batch, param))).isEqualTo(batch + ":" + param);
                }
            }
        }
    }

    @Test
    void everyAcknowledgedRegistryChangeHasItsEventAfterTheKillWithoutGaps() {
        Map<String, List<String>> eventsByModel = new HashMap<>();
        long after = 0;
        while (true) {
            JsonNode page = api.get("/api/2.0/axle/events?after=" + after + "&max_results=1000")
                    .json();
            if (page.path("events").isEmpty()) {
                break;
            }
            for (JsonNode event : page.path("events")) {
                assertThat(event.path("seq").asLong())
                        .as("the event after %d", after)
                        .isEqualTo(after + 1);
                after = event.path("seq").asLong();
                eventsByModel
                        .computeIfAbsent(event.path("model_name").asText(), name -> new ArrayList<>())
                        .add(event.path("type").asText());
            }
        }
        assertThat(taggedModels).isNotEmpty();
        for (String name : taggedModels) {
            assertThat(api.get("registered-models/get?name=" + name).status()).isEqualTo(200);
            assertThat(eventsByModel.get(name)).as(name).containsExactly("MODEL_CREATED", "MODEL_TAG_SET");
        }
    }

    @Test
    void everyAcknowledgedRunIsThereAfterTheKill() {
        Response response = api.post(
                "runs/search",
                Map.of("experiment_ids", List.of(experimentId), "run_view_type", "ALL", "max_results", 50_000));
        List<String> found = new ArrayList<>();
        response.json()
                .path("runs")
                .forEach(run -> found.add(run.path("info").path("run_id").asText()));

        assertThat(createdRuns).isNotEmpty();
        assertThat(found).containsAll(createdRuns);
    }

    @Test
    void aBatchTheKillCutOffIsThereWholeOrNotAtAll() {
        int cutOff = 0;
        for (Writer writer : writers) {
            Contents contents = contents(writer.runId());
            for (int batch : writer.sent()) {
                if (!writer.acknowledged().contains(batch)) {
                    cutOff++;
                    assertThat(contents.count(batch))
                            .as("batch %d of run %s, sent but not acknowledged", batch, writer.runId())
                            .isIn(0, batchSize());
                }
            }
        }
        assertThat(cutOff).as("batches in flight when the server was killed").isPositive();
    }

    @Test
    void theRestartedServerTakesNewWrites() {
        String runId = writers.getFirst().runId();

        Response response = api.post(
                "runs/log-metric", Map.of("run_id", runId, "key", "after-restart", "value", 1, "timestamp", 1));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    /** What a run holds, counted per batch. */
    private record Contents(Map<Integer, Integer> itemsPerBatch, Map<String, String> params) {
        int count(int batch) {
            return itemsPerBatch.getOrDefault(batch, 0);
        }
    }

    private Contents contents(String runId) {
        Map<Integer, Integer> items = new HashMap<>();
        for (String key : METRIC_KEYS) {
            Response history = api.get("metrics/get-history?run_id=" + runId + "&metric_key=" + key);
            assertThat(history.status()).as(history.body()).isEqualTo(200);
            for (JsonNode point : history.json().path("metrics")) {
                items.merge((int) (point.path("step").asLong() / STEPS_PER_BATCH), 1, Integer::sum);
            }
        }
        JsonNode data = api.get("runs/get?run_id=" + runId).json().path("run").path("data");
        Map<String, String> params = new HashMap<>();
        for (JsonNode param : data.path("params")) {
            params.put(param.path("key").asText(), param.path("value").asText());
            items.merge(batchOf(param.path("key").asText()), 1, Integer::sum);
        }
        for (JsonNode tag : data.path("tags")) {
            String key = tag.path("key").asText();
            if (key.startsWith("tag-")) {
                items.merge(batchOf(key), 1, Integer::sum);
            }
        }
        return new Contents(items, params);
    }

    private static Map<String, Object> batch(String runId, int batch) {
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (int offset = 0; offset < STEPS_PER_BATCH; offset++) {
            long step = (long) batch * STEPS_PER_BATCH + offset;
            for (String key : METRIC_KEYS) {
                metrics.add(Map.of(
                        "key", key, "value", step / 1000.0, "timestamp", 1_700_000_000_000L + step, "step", step));
            }
        }
        List<Map<String, String>> params = new ArrayList<>();
        for (int param = 0; param < PARAMS_PER_BATCH; param++) {
            params.add(Map.of("key", paramKey(batch, param), "value", batch + ":" + param));
        }
        List<Map<String, String>> tags = new ArrayList<>();
        for (int tag = 0; tag < TAGS_PER_BATCH; tag++) {
            tags.add(Map.of("key", "tag-" + batch + "-" + tag, "value", "x".repeat(200)));
        }
        return Map.of("run_id", runId, "metrics", metrics, "params", params, "tags", tags);
    }

    private static boolean inFlight(Writer writer) {
        return writer.sent().size() > writer.acknowledged().size();
    }

    private static int batchSize() {
        return STEPS_PER_BATCH * METRIC_KEYS.size() + PARAMS_PER_BATCH + TAGS_PER_BATCH;
    }

    private static String paramKey(int batch, int param) {
        return "param-" + batch + "-" + param;
    }

    private static int batchOf(String key) {
        return Integer.parseInt(key.split("-")[1]);
    }

    private static String createRun(ApiClient client, String experimentId) {
        Response response = client.post("runs/create", Map.of("experiment_id", experimentId));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().path("run").path("info").path("run_id").asText();
    }
}
