package io.axle.serving.batch;

import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.serving.Model;
import io.axle.serving.Predictor;
import io.axle.serving.Tensor;
import io.axle.serving.metrics.ServingMetrics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Merges concurrent requests into one {@code session.run} and splits the outputs back.
 *
 * <p>Requests wait in a bounded queue (full: 429). A worker takes the oldest, then gathers later requests with the same
 * input names, types and trailing dimensions until the batch holds {@code maxBatchSize} rows or {@code maxBatchDelay}
 * has passed, runs the model once and gives each request the rows of every output that belong to it. A batch that
 * fails is run again one request at a time, so each request gets its own answer or its own error. A request past its
 * deadline fails with 504, whether it is still waiting or already running.
 *
 * <p>Futures are completed on the batcher's own threads (a worker, or the deadline timer): a caller that does real
 * work on completion should use the {@code *Async} stages or wait on the future from its own thread, or it holds up
 * the next batch.
 */
public final class DynamicBatcher implements Predictor {
    private static final Duration LONGEST_TIMEOUT = Duration.ofDays(365);

    private final Model model;
    private final BatchingConfig config;
    private final ServingMetrics metrics;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // guarded by lock
    private final ArrayDeque<PendingRequest> queue = new ArrayDeque<>();
    // guarded by lock; true while a worker gathers a batch, so idle workers do not start rival batches
    private boolean gathering;
    // guarded by lock
    private boolean closed;
    // guarded by lock; model runs in progress, the workers' and those of callers that found the batcher idle
    private int running;
    // a copy of queue.size() that scrapes read without the lock
    private final AtomicInteger depth = new AtomicInteger();
    private final ScheduledThreadPoolExecutor deadlines;
    private final List<Thread> workers = new ArrayList<>();

    private DynamicBatcher(Model model, BatchingConfig config, ServingMetrics metrics) {
        this.model = requireNonNull(model, "model is null");
        this.config = requireNonNull(config, "config is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.deadlines = new ScheduledThreadPoolExecutor(
                1,
                Thread.ofPlatform()
                        .name("axle-batch-deadlines-" + model.name())
                        .daemon(true)
                        .factory());
        this.deadlines.setRemoveOnCancelPolicy(true);
    }

    /** A predictor that batches calls to {@code model} as {@code config} says, with its queue depth in {@code metrics}. */
    public static DynamicBatcher create(Model model, BatchingConfig config, ServingMetrics metrics) {
        DynamicBatcher batcher = new DynamicBatcher(model, config, metrics);
        for (int worker = 0; worker < config.workers(); worker++) {
            batcher.workers.add(Thread.ofPlatform()
                    .name("axle-batch-" + model.name() + "-" + worker)
                    .daemon(true)
                    .start(batcher::work));
        }
        metrics.queueDepth(batcher::queueDepth);
        return batcher;
    }

    /** Predicts with the configured {@link BatchingConfig#requestTimeout()}. */
    @Override
    public CompletableFuture<Map<String, Tensor>> predict(Map<String, Tensor> inputs) {
        return predict(inputs, config.requestTimeout());
    }

    /**
     * Queues one request; its future fails with 504 ({@code DEADLINE_EXCEEDED}) once {@code timeout} has passed without
     * an answer, 429 when the queue is full and 503 once {@link #close()} has begun.
     */
    public CompletableFuture<Map<String, Tensor>> predict(Map<String, Tensor> inputs, Duration timeout) {
        requireNonNull(timeout, "timeout is null");
        Duration bounded = timeout.compareTo(LONGEST_TIMEOUT) > 0 ? LONGEST_TIMEOUT : timeout;
        PendingRequest request = new PendingRequest(inputs, bounded, System.nanoTime());
        lock.lock();
        try {
            if (closed) {
                return CompletableFuture.failedFuture(new AxleException(
                        ErrorCode.TEMPORARILY_UNAVAILABLE,
                        "Model '" + model.name() + "' is shutting down and takes no new requests"));
            }
            if (queue.size() >= config.maxQueue()) {
                return CompletableFuture.failedFuture(new AxleException(
                        ErrorCode.REQUEST_LIMIT_EXCEEDED,
                        "Model '" + model.name() + "' queue full (" + queue.size() + " waiting); retry later"));
            }
            return enqueue(request, bounded).future();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Like {@link #predict(Map)}, for a caller that waits for the answer anyway (an HTTP handler): when nothing is
     * queued and nothing is running there is no one to batch with, so the request runs at once on the caller's own
     * thread instead of being handed to a worker and waiting for its wake-up — a lone request is as fast as unbatched.
     * Requests that arrive meanwhile queue and batch as usual.
     */
    @Override
    public CompletableFuture<Map<String, Tensor>> predictOnCaller(Map<String, Tensor> inputs) {
        PendingRequest request = new PendingRequest(inputs, config.requestTimeout(), System.nanoTime());
        lock.lock();
        try {
            if (closed || !queue.isEmpty() || gathering || running > 0) {
                return predict(inputs);
            }
            running++;
        } finally {
            lock.unlock();
        }
        try {
            runAlone(request);
        } finally {
            finishedRun();
        }
        return request.future();
    }

    // called with the lock held
    private PendingRequest enqueue(PendingRequest request, Duration bounded) {
        {
            // scheduled before the request is visible, so close() never finds a request without its deadline
            ScheduledFuture<?> deadline = deadlines.schedule(() -> expire(request), bounded.toNanos(), NANOSECONDS);
            request.future().whenComplete((outputs, failure) -> deadline.cancel(false));
            queue.addLast(request);
            depth.set(queue.size());
            changed.signalAll();
        }
        return request;
    }

    // nobody waits for a run to end (workers wait for the queue), so nobody is woken: a signal per inline run would
    // cost the idle worker a wake-up and a context switch per request
    private void finishedRun() {
        lock.lock();
        try {
            running--;
        } finally {
            lock.unlock();
        }
    }

    /** Requests waiting to run (not those running). */
    public int queueDepth() {
        return depth.get();
    }

    /** Stops taking requests (new ones get 503), runs every request already queued, then returns. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        for (Thread worker : workers) {
            while (worker.isAlive()) {
                try {
                    worker.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        // only a worker killed by an Error leaves requests behind; they must not wait forever
        failLeftovers();
        deadlines.shutdown();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void work() {
        while (true) {
            List<PendingRequest> batch = nextBatch();
            if (batch.isEmpty()) {
                return;
            }
            try {
                run(batch);
            } finally {
                finishedRun();
            }
        }
    }

    /** The next batch to run; empty once closed and the queue is drained. */
    private List<PendingRequest> nextBatch() {
        lock.lock();
        try {
            while (gathering || queue.isEmpty()) {
                if (closed && queue.isEmpty()) {
                    return List.of();
                }
                changed.awaitUninterruptibly();
            }
            gathering = true;
            try {
                List<PendingRequest> batch = gather();
                running++;
                return batch;
            } finally {
                gathering = false;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    // called with the lock held and the queue not empty
    private List<PendingRequest> gather() {
        List<PendingRequest> batch = new ArrayList<>();
        PendingRequest first = queue.pollFirst();
        depth.set(queue.size());
        batch.add(first);
        if (first.rows().isEmpty()) {
            return batch;
        }
        MergeKey key = first.rows().get().key();
        long rows = first.rowCount();
        long gatherUntil = System.nanoTime() + config.maxBatchDelay().toNanos();
        while (true) {
            rows = takeCompanions(key, rows, batch);
            long remaining = gatherUntil - System.nanoTime();
            if (rows >= config.maxBatchSize() || closed || remaining <= 0) {
                return batch;
            }
            try {
                changed.awaitNanos(remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return batch;
            }
        }
    }

    // moves queued requests that fit the batch into it, oldest first; those that do not fit keep their place
    private long takeCompanions(MergeKey key, long rows, List<PendingRequest> batch) {
        long total = rows;
        Iterator<PendingRequest> waiting = queue.iterator();
        while (waiting.hasNext() && total < config.maxBatchSize()) {
            PendingRequest candidate = waiting.next();
            if (candidate.future().isDone()) {
                waiting.remove();
            } else if (candidate.canJoin(key) && total + candidate.rowCount() <= config.maxBatchSize()) {
                waiting.remove();
                batch.add(candidate);
                total += candidate.rowCount();
            }
        }
        depth.set(queue.size());
        return total;
    }

    private void run(List<PendingRequest> batch) {
        try {
            List<PendingRequest> live = dropExpired(batch);
            if (live.size() <= 1) {
                live.forEach(this::runAlone);
                return;
            }
            long[] rowCounts = live.stream().mapToLong(PendingRequest::rowCount).toArray();
            long totalRows = Arrays.stream(rowCounts).sum();
            Map<String, Tensor> merged = TensorBatches.concatenate(
                    live.stream().map(PendingRequest::inputs).toList(), totalRows);
            Map<String, Tensor> outputs;
            try {
                outputs = timedPredict(merged, live.size(), totalRows);
            } catch (RuntimeException e) {
                // one bad request must not fail its neighbours: each runs again alone and gets its own answer
                live.forEach(this::runAlone);
                return;
            }
            Optional<List<Map<String, Tensor>>> parts = TensorBatches.split(outputs, rowCounts);
            if (parts.isEmpty()) {
                // an output is not one row per input row, so it cannot be shared out: answer each on its own
                live.forEach(this::runAlone);
                return;
            }
            for (int index = 0; index < live.size(); index++) {
                live.get(index).future().complete(parts.get().get(index));
            }
        } finally {
            for (PendingRequest request : batch) {
                request.future()
                        .completeExceptionally(new AxleException(
                                ErrorCode.INTERNAL_ERROR, "Model '" + model.name() + "' stopped before answering"));
            }
        }
    }

    private void runAlone(PendingRequest request) {
        if (request.expired(System.nanoTime())) {
            request.expire(model.name());
        }
        if (request.future().isDone()) {
            return;
        }
        try {
            request.future().complete(timedPredict(request.inputs(), 1, request.rowCount()));
        } catch (AxleException e) {
            request.future().completeExceptionally(e);
        } catch (RuntimeException e) {
            request.future()
                    .completeExceptionally(new AxleException(
                            ErrorCode.INTERNAL_ERROR, "Model '" + model.name() + "' failed: " + e.getMessage(), e));
        }
    }

    private Map<String, Tensor> timedPredict(Map<String, Tensor> inputs, int requests, long rows) {
        long start = System.nanoTime();
        try {
            return model.predict(inputs);
        } finally {
            metrics.batchRun(requests, rows, System.nanoTime() - start);
        }
    }

    // a request whose deadline passed before its run is answered 504 and not run
    private List<PendingRequest> dropExpired(List<PendingRequest> batch) {
        long now = System.nanoTime();
        List<PendingRequest> live = new ArrayList<>(batch.size());
        for (PendingRequest request : batch) {
            if (request.expired(now)) {
                request.expire(model.name());
            } else if (!request.future().isDone()) {
                live.add(request);
            }
        }
        return live;
    }

    // out of the queue first, so whoever sees the 504 also sees the queue without it
    private void expire(PendingRequest request) {
        lock.lock();
        try {
            if (queue.remove(request)) {
                depth.set(queue.size());
            }
        } finally {
            lock.unlock();
        }
        request.expire(model.name());
    }

    private void failLeftovers() {
        lock.lock();
        try {
            for (PendingRequest request : queue) {
                request.future()
                        .completeExceptionally(new AxleException(
                                ErrorCode.TEMPORARILY_UNAVAILABLE, "Model '" + model.name() + "' shut down"));
            }
            queue.clear();
            depth.set(0);
        } finally {
            lock.unlock();
        }
    }
}
