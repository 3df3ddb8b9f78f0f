package io.axle.serving.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.serving.Model;
import io.axle.serving.Tensor;
import io.axle.serving.metrics.ServingMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// the timeout only keeps a broken batcher from hanging the build; no test measures time
@Timeout(60)
class DynamicBatcherTest {
    private static final int CLIENTS = 64;
    private static final int WIDTH = 4;

    private final ServingMetrics metrics = new ServingMetrics();
    private final RunGate gate = RunGate.closed();
    private final List<DynamicBatcher> batchers = new ArrayList<>();

    // a failed assertion must not leave a run held at the gate, or close() would wait for it forever
    @AfterEach
    void openTheGateAndClose() {
        gate.open();
        batchers.forEach(DynamicBatcher::close);
    }

    @Test
    void anIdleBatcherRunsAWaitingCallersRequestOnTheCallersThreadAndBatchesWhatArrivesMeanwhile() throws Exception {
        gate.open();
        LinearModel model = new LinearModel(gate);
        DynamicBatcher batcher = batcher(model, new BatchingConfig(1024, Duration.ZERO, 1024));

        Map<String, Tensor> alone =
                batcher.predictOnCaller(LinearModel.input(rowsOf(0))).join();

        assertAnswers(rowsOf(0), alone);
        assertThat(model.runThreads()).containsExactly(Thread.currentThread().getName());
    }

    @Test
    void sixtyFourConcurrentClientsEachGetTheirOwnRowsBackFromFewerRuns() throws Exception {
        LinearModel model = new LinearModel(gate);
        DynamicBatcher batcher = batcher(model, new BatchingConfig(1024, Duration.ofMillis(1), 1024));
        List<CompletableFuture<Map<String, Tensor>>> answers = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
            List<Future<CompletableFuture<Map<String, Tensor>>>> submitted = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                int id = client;
                submitted.add(clients.submit(() -> {
                    start.await();
                    return batcher.predict(LinearModel.input(rowsOf(id)));
                }));
            }
            start.countDown();
            for (Future<CompletableFuture<Map<String, Tensor>>> future : submitted) {
                answers.add(future.get());
            }
        }
        // every request is in the batcher now: at most one run is held at the gate, the rest wait together
        gate.open();

        for (int client = 0; client < CLIENTS; client++) {
            assertAnswers(rowsOf(client), answers.get(client).join());
        }
        assertThat(model.runRows()).hasSizeLessThanOrEqualTo(2);
        long totalRows = totalRowsOf(CLIENTS);
        assertThat(model.rowsRun()).isEqualTo(totalRows);
        assertThat(metrics.batchTotals())
                .isEqualTo(new ServingMetrics.BatchTotals(model.runRows().size(), CLIENTS, totalRows));
    }

    @Test
    void clientsSendingManyRequestsAtOnceEachGetTheirOwnAnswers() throws Exception {
        gate.open();
        LinearModel model = new LinearModel(gate);
        int requestsPerClient = 20;
        try (DynamicBatcher batcher = batcher(model, new BatchingConfig(16, Duration.ofMillis(2), 4096));
                ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
            List<Future<Integer>> checked = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                int id = client;
                checked.add(clients.submit(() -> {
                    for (int request = 0; request < requestsPerClient; request++) {
                        float[][] rows = rowsOf(id * requestsPerClient + request);
                        assertAnswers(
                                rows, batcher.predict(LinearModel.input(rows)).join());
                    }
                    return requestsPerClient;
                }));
            }
            for (Future<Integer> future : checked) {
                assertThat(future.get()).isEqualTo(requestsPerClient);
            }
            assertThat(model.rowsRun()).isEqualTo(totalRowsOf(CLIENTS * requestsPerClient));
            assertThat(model.runRows()).allSatisfy(rows -> assertThat(rows).isLessThanOrEqualTo(16));
        }
    }

    @Test
    void aFullQueueRefusesNewRequestsWithRequestLimitExceeded() throws Exception {
        LinearModel model = new LinearModel(gate);
        DynamicBatcher batcher = batcher(model, new BatchingConfig(1, Duration.ZERO, 2));
        CompletableFuture<Map<String, Tensor>> running = batcher.predict(LinearModel.input(rowsOf(0)));
        gate.awaitStarted(1);
        CompletableFuture<Map<String, Tensor>> first = batcher.predict(LinearModel.input(rowsOf(1)));
        CompletableFuture<Map<String, Tensor>> second = batcher.predict(LinearModel.input(rowsOf(2)));
        assertThat(batcher.queueDepth()).isEqualTo(2);

        CompletableFuture<Map<String, Tensor>> refused = batcher.predict(LinearModel.input(rowsOf(3)));

        assertThat(refused).isCompletedExceptionally();
        assertFailsWith(refused, ErrorCode.REQUEST_LIMIT_EXCEEDED, "queue full (2 waiting); retry later");
        gate.open();
        assertAnswers(rowsOf(0), running.join());
        assertAnswers(rowsOf(1), first.join());
        assertAnswers(rowsOf(2), second.join());
        assertThat(model.rowsRun()).isEqualTo(totalRowsOf(3));
    }

    @Test
    void aRequestWhoseDeadlinePassesWhileQueuedFailsWithDeadlineExceededAndNeverRuns() throws Exception {
        LinearModel model = new LinearModel(gate);
        DynamicBatcher batcher = batcher(model, new BatchingConfig(8, Duration.ZERO, 16));
        CompletableFuture<Map<String, Tensor>> running = batcher.predict(LinearModel.input(rowsOf(0)));
        gate.awaitStarted(1);

        CompletableFuture<Map<String, Tensor>> late =
                batcher.predict(LinearModel.input(rowsOf(1)), Duration.ofMillis(1));

        assertFailsWith(late, ErrorCode.DEADLINE_EXCEEDED, "did not answer within 1 ms");
        assertThat(batcher.queueDepth()).isZero();
        gate.open();
        assertAnswers(rowsOf(0), running.join());
        assertThat(model.runRows()).containsExactly((long) rowsOf(0).length);
    }

    @Test
    void aRequestStillRunningAtItsDeadlineFailsWithDeadlineExceeded() throws Exception {
        LinearModel model = new LinearModel(gate);
        DynamicBatcher batcher = batcher(model, new BatchingConfig(8, Duration.ZERO, 16));
        CompletableFuture<Map<String, Tensor>> slow =
                batcher.predict(LinearModel.input(rowsOf(0)), Duration.ofMillis(1));

        assertFailsWith(slow, ErrorCode.DEADLINE_EXCEEDED, "Model 'linear' did not answer");
        gate.open();
    }

    @Test
    void theInterfacePredictUsesTheConfiguredTimeout() {
        LinearModel model = new LinearModel(gate);
        BatchingConfig config = new BatchingConfig(8, Duration.ZERO, 16).withRequestTimeout(Duration.ofMillis(1));
        DynamicBatcher batcher = batcher(model, config);
        CompletableFuture<Map<String, Tensor>> slow = batcher.predict(LinearModel.input(rowsOf(0)));

        assertFailsWith(slow, ErrorCode.DEADLINE_EXCEEDED, "did not answer within 1 ms");
        gate.open();
    }

    @Test
    void closeRunsEveryQueuedRequestThenRefusesNewOnes() throws Exception {
        LinearModel model = new LinearModel(gate);
        DynamicBatcher batcher = batcher(model, new BatchingConfig(2, Duration.ZERO, 1024));
        List<CompletableFuture<Map<String, Tensor>>> accepted = new ArrayList<>();
        accepted.add(batcher.predict(LinearModel.input(rowsOf(0))));
        gate.awaitStarted(1);
        for (int request = 1; request < 6; request++) {
            accepted.add(batcher.predict(LinearModel.input(rowsOf(request))));
        }

        Thread closer = Thread.ofPlatform().start(batcher::close);
        // until close() has begun a probe is queued like any request; the first one refused proves it began
        CompletableFuture<Map<String, Tensor>> probe;
        while (!(probe = batcher.predict(LinearModel.input(rowsOf(accepted.size())))).isCompletedExceptionally()) {
            accepted.add(probe);
            Thread.sleep(1);
        }
        assertFailsWith(probe, ErrorCode.TEMPORARILY_UNAVAILABLE, "is shutting down");
        assertThat(closer.isAlive()).as("close waits for the queued requests").isTrue();
        gate.open();
        closer.join();

        for (int request = 0; request < accepted.size(); request++) {
            assertThat(accepted.get(request)).isCompleted();
            assertAnswers(rowsOf(request), accepted.get(request).join());
        }
        assertThat(model.rowsRun()).isEqualTo(totalRowsOf(accepted.size()));
        assertFailsWith(
                batcher.predict(LinearModel.input(rowsOf(0))), ErrorCode.TEMPORARILY_UNAVAILABLE, "shutting down");
    }

    @Test
    void requestsOfDifferentWidthsRunInSeparateBatches() throws Exception {
        LinearModel model = new LinearModel(gate);
        DynamicBatcher batcher = batcher(model, new BatchingConfig(64, Duration.ZERO, 64));
        CompletableFuture<Map<String, Tensor>> running = batcher.predict(LinearModel.input(rows(1, 4, 0)));
        gate.awaitStarted(1);
        float[][] wide1 = rows(2, 4, 10);
        float[][] narrow1 = rows(3, 3, 20);
        float[][] wide2 = rows(1, 4, 30);
        float[][] narrow2 = rows(2, 3, 40);
        var wideAnswer1 = batcher.predict(LinearModel.input(wide1));
        var narrowAnswer1 = batcher.predict(LinearModel.input(narrow1));
        var wideAnswer2 = batcher.predict(LinearModel.input(wide2));
        var narrowAnswer2 = batcher.predict(LinearModel.input(narrow2));
        gate.open();

        assertAnswers(rows(1, 4, 0), running.join());
        assertAnswers(wide1, wideAnswer1.join());
        assertAnswers(narrow1, narrowAnswer1.join());
        assertAnswers(wide2, wideAnswer2.join());
        assertAnswers(narrow2, narrowAnswer2.join());
        assertThat(model.runRows()).containsExactly(1L, 3L, 5L);
    }

    @Test
    void aFailingRequestIsAnsweredWithItsOwnErrorAndItsBatchNeighboursStillSucceed() throws Exception {
        LinearModel model = new LinearModel(gate);
        DynamicBatcher batcher = batcher(model, new BatchingConfig(64, Duration.ZERO, 64));
        CompletableFuture<Map<String, Tensor>> running = batcher.predict(LinearModel.input(rowsOf(0)));
        gate.awaitStarted(1);
        float[][] bad = {{1, 2, Float.NaN, 4}};
        var before = batcher.predict(LinearModel.input(rowsOf(1)));
        var failing = batcher.predict(LinearModel.input(bad));
        var after = batcher.predict(LinearModel.input(rowsOf(2)));
        gate.open();

        assertAnswers(rowsOf(0), running.join());
        assertAnswers(rowsOf(1), before.join());
        assertFailsWith(failing, ErrorCode.INVALID_PARAMETER_VALUE, "input 'x' row 0 holds NaN");
        assertAnswers(rowsOf(2), after.join());
        long merged = rowsOf(1).length + 1 + rowsOf(2).length;
        assertThat(model.runRows())
                .containsExactly((long) rowsOf(0).length, merged, (long) rowsOf(1).length, 1L, (long) rowsOf(2).length);
    }

    @Test
    void bytesTensorsAreMergedAndSplitBackPerRequest() throws Exception {
        TextLengthModel model = new TextLengthModel(gate);
        DynamicBatcher batcher = batcher(model, new BatchingConfig(64, Duration.ZERO, 64));
        var running = batcher.predict(TextLengthModel.input("first"));
        gate.awaitStarted(1);
        var greek = batcher.predict(TextLengthModel.input("αβγ", "δ"));
        var latin = batcher.predict(TextLengthModel.input("axle", "", "batch"));
        gate.open();

        assertTexts(running.join(), List.of(5L), List.of("FIRST"));
        assertTexts(greek.join(), List.of(6L, 2L), List.of("ΑΒΓ", "Δ"));
        assertTexts(latin.join(), List.of(4L, 0L, 5L), List.of("AXLE", "", "BATCH"));
        assertThat(model.runRows()).containsExactly(1L, 5L);
    }

    @Test
    void aMaxBatchSizeOfOneRunsEveryRequestAlone() throws Exception {
        LinearModel model = new LinearModel(gate);
        DynamicBatcher batcher = batcher(model, new BatchingConfig(1, Duration.ofMillis(50), 64));
        List<CompletableFuture<Map<String, Tensor>>> answers = new ArrayList<>();
        answers.add(batcher.predict(LinearModel.input(rows(1, WIDTH, 0))));
        gate.awaitStarted(1);
        for (int request = 1; request < 5; request++) {
            answers.add(batcher.predict(LinearModel.input(rows(1, WIDTH, request * 10))));
        }
        gate.open();

        for (int request = 0; request < 5; request++) {
            assertAnswers(rows(1, WIDTH, request * 10), answers.get(request).join());
        }
        assertThat(model.runRows()).containsExactly(1L, 1L, 1L, 1L, 1L);
    }

    @Test
    void aZeroDelayStillMergesWhatIsAlreadyQueued() throws Exception {
        LinearModel model = new LinearModel(gate);
        DynamicBatcher batcher = batcher(model, new BatchingConfig(64, Duration.ZERO, 64));
        List<CompletableFuture<Map<String, Tensor>>> answers = new ArrayList<>();
        answers.add(batcher.predict(LinearModel.input(rows(1, WIDTH, 0))));
        gate.awaitStarted(1);
        for (int request = 1; request < 5; request++) {
            answers.add(batcher.predict(LinearModel.input(rows(1, WIDTH, request * 10))));
        }
        gate.open();

        for (int request = 0; request < 5; request++) {
            assertAnswers(rows(1, WIDTH, request * 10), answers.get(request).join());
        }
        assertThat(model.runRows()).containsExactly(1L, 4L);
    }

    @Test
    void aRequestLargerThanTheMaxBatchSizeRunsAloneAndTheOthersAreSplitByRows() throws Exception {
        LinearModel model = new LinearModel(gate);
        DynamicBatcher batcher = batcher(model, new BatchingConfig(4, Duration.ZERO, 64));
        var running = batcher.predict(LinearModel.input(rows(1, WIDTH, 0)));
        gate.awaitStarted(1);
        float[][] large = rows(6, WIDTH, 10);
        float[][] three = rows(3, WIDTH, 20);
        float[][] two = rows(2, WIDTH, 30);
        float[][] one = rows(1, WIDTH, 40);
        var largeAnswer = batcher.predict(LinearModel.input(large));
        var threeAnswer = batcher.predict(LinearModel.input(three));
        var twoAnswer = batcher.predict(LinearModel.input(two));
        var oneAnswer = batcher.predict(LinearModel.input(one));
        gate.open();

        assertAnswers(rows(1, WIDTH, 0), running.join());
        assertAnswers(large, largeAnswer.join());
        assertAnswers(three, threeAnswer.join());
        assertAnswers(two, twoAnswer.join());
        assertAnswers(one, oneAnswer.join());
        // oldest first; a request that does not fit keeps its place and leads the next batch
        assertThat(model.runRows()).containsExactly(1L, 6L, 4L, 2L);
    }

    @Test
    void outputsThatAreNotOneRowPerInputRowAreComputedForEachRequestAlone() throws Exception {
        BatchTotalModel model = new BatchTotalModel(gate);
        DynamicBatcher batcher = batcher(model, new BatchingConfig(64, Duration.ZERO, 64));
        var running = batcher.predict(LinearModel.input(rows(1, WIDTH, 0)));
        gate.awaitStarted(1);
        float[][] two = rows(2, WIDTH, 10);
        float[][] three = rows(3, WIDTH, 20);
        var twoAnswer = batcher.predict(LinearModel.input(two));
        var threeAnswer = batcher.predict(LinearModel.input(three));
        gate.open();

        assertThat(running.join().get("total").data())
                .isEqualTo(new double[] {BatchTotalModel.total(rows(1, WIDTH, 0))});
        assertThat(twoAnswer.join().get("total").data()).isEqualTo(new double[] {BatchTotalModel.total(two)});
        assertThat(threeAnswer.join().get("total").data()).isEqualTo(new double[] {BatchTotalModel.total(three)});
        assertThat(model.runRows()).containsExactly(1L, 5L, 2L, 3L);
    }

    @Test
    void aModelFailureThatIsNotAnAxleExceptionIsAnInternalErrorNamingTheModel() {
        gate.open();
        DynamicBatcher batcher = batcher(new BatchTotalModel(gate), new BatchingConfig(8, Duration.ZERO, 8));

        var failed = batcher.predict(LinearModel.input(new float[0][WIDTH]));

        assertFailsWith(failed, ErrorCode.INTERNAL_ERROR, "Model 'batch-total' failed: no rows to add up");
    }

    @Test
    void aTimeoutOfZeroFailsAtOnceWithDeadlineExceeded() {
        DynamicBatcher batcher = batcher(new LinearModel(gate), new BatchingConfig(8, Duration.ZERO, 8));

        var late = batcher.predict(LinearModel.input(rowsOf(0)), Duration.ZERO);

        assertFailsWith(late, ErrorCode.DEADLINE_EXCEEDED, "did not answer within 0 ms");
    }

    @Test
    void severalWorkersAnswerEveryRequest() throws Exception {
        gate.open();
        LinearModel model = new LinearModel(gate);
        BatchingConfig config = new BatchingConfig(8, Duration.ofMillis(1), 1024).withWorkers(3);
        try (DynamicBatcher batcher = batcher(model, config);
                ExecutorService clients = Executors.newFixedThreadPool(16)) {
            List<Future<Map<String, Tensor>>> answers = new ArrayList<>();
            for (int request = 0; request < 200; request++) {
                float[][] rows = rowsOf(request);
                answers.add(clients.submit(
                        () -> batcher.predict(LinearModel.input(rows)).join()));
            }
            for (int request = 0; request < 200; request++) {
                assertAnswers(rowsOf(request), answers.get(request).get());
            }
            assertThat(model.rowsRun()).isEqualTo(totalRowsOf(200));
        }
    }

    @Test
    void theQueueDepthIsPublishedToTheMetrics() throws Exception {
        LinearModel model = new LinearModel(gate);
        DynamicBatcher batcher = batcher(model, new BatchingConfig(1, Duration.ZERO, 64));
        var running = batcher.predict(LinearModel.input(rowsOf(0)));
        gate.awaitStarted(1);
        var waiting1 = batcher.predict(LinearModel.input(rowsOf(1)));
        var waiting2 = batcher.predict(LinearModel.input(rowsOf(2)));

        assertThat(metrics.render()).contains("\naxle_serving_queue_depth 2\n");
        gate.open();
        CompletableFuture.allOf(running, waiting1, waiting2).join();
        assertThat(metrics.render()).contains("\naxle_serving_queue_depth 0\n");
    }

    private DynamicBatcher batcher(Model model, BatchingConfig config) {
        DynamicBatcher batcher = DynamicBatcher.create(model, config, metrics);
        batchers.add(batcher);
        return batcher;
    }

    /** Client {@code id}'s request: 1 to 3 rows whose values no other client sends. */
    private static float[][] rowsOf(int id) {
        return rows(1 + id % 3, WIDTH, id * 100);
    }

    private static long totalRowsOf(int clients) {
        long total = 0;
        for (int client = 0; client < clients; client++) {
            total += rowsOf(client).length;
        }
        return total;
    }

    private static float[][] rows(int count, int width, int base) {
        float[][] rows = new float[count][width];
        for (int row = 0; row < count; row++) {
            for (int column = 0; column < width; column++) {
                rows[row][column] = base + row * 10 + column;
            }
        }
        return rows;
    }

    private static void assertAnswers(float[][] rows, Map<String, Tensor> outputs) {
        assertThat(outputs).containsOnlyKeys("y");
        Tensor y = outputs.get("y");
        assertThat(y.shape()).containsExactly(rows.length, 1);
        float[] values = (float[]) y.data();
        for (int row = 0; row < rows.length; row++) {
            assertThat(values[row]).isCloseTo(LinearModel.expected(rows[row]), within(0f));
        }
    }

    private static void assertTexts(Map<String, Tensor> outputs, List<Long> lengths, List<String> upper) {
        assertThat(outputs.get("length").shape()).containsExactly(lengths.size());
        assertThat((long[]) outputs.get("length").data())
                .containsExactly(lengths.stream().mapToLong(Long::longValue).toArray());
        byte[][] texts = (byte[][]) outputs.get("upper").data();
        assertThat(texts.length).isEqualTo(upper.size());
        for (int index = 0; index < texts.length; index++) {
            assertThat(new String(texts[index], StandardCharsets.UTF_8)).isEqualTo(upper.get(index));
        }
    }

    private static void assertFailsWith(
            CompletableFuture<Map<String, Tensor>> future, ErrorCode code, String messagePart) {
        assertThatThrownBy(future::join)
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(AxleException.class)
                .hasMessageContaining(messagePart)
                .satisfies(failure ->
                        assertThat(((AxleException) failure).errorCode()).isEqualTo(code));
    }
}
