package io.axle.serving.batch;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import java.time.Duration;

/**
 * How the {@link DynamicBatcher} merges requests.
 *
 * @param maxBatchSize {@code --max-batch-size}: rows merged into one run at most (a single larger request still runs,
 *     alone); 1 turns merging off
 * @param maxBatchDelay {@code --max-batch-delay}: how long the first request of a batch waits for company; zero runs
 *     whatever is already queued at once
 * @param maxQueue {@code --max-queue}: requests waiting beyond which new ones get 429
 * @param requestTimeout how long a request may wait and run when the caller gives no timeout of its own; past it the
 *     request fails with 504
 * @param workers how many batches may run on the model at once
 */
public record BatchingConfig(
        int maxBatchSize, Duration maxBatchDelay, int maxQueue, Duration requestTimeout, int workers) {
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    public BatchingConfig {
        requireNonNull(maxBatchDelay, "maxBatchDelay is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
        if (maxBatchSize < 1) {
            throw AxleException.invalidParameter("--max-batch-size is 1 or more, not " + maxBatchSize);
        }
        if (maxBatchDelay.isNegative()) {
            throw AxleException.invalidParameter("--max-batch-delay is zero or more, not " + maxBatchDelay);
        }
        if (maxQueue < 1) {
            throw AxleException.invalidParameter("--max-queue is 1 or more, not " + maxQueue);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw AxleException.invalidParameter("the request timeout is more than zero, not " + requestTimeout);
        }
        if (workers < 1) {
            throw AxleException.invalidParameter("the batcher needs 1 worker or more, not " + workers);
        }
    }

    /** The three command-line settings, with the default request timeout and one worker. */
    public BatchingConfig(int maxBatchSize, Duration maxBatchDelay, int maxQueue) {
        this(maxBatchSize, maxBatchDelay, maxQueue, DEFAULT_REQUEST_TIMEOUT, 1);
    }

    /** 32 rows, 5 ms, 1024 waiting, 30 s, one worker. */
    public static BatchingConfig defaults() {
        return new BatchingConfig(32, Duration.ZERO, 1024);
    }

    public BatchingConfig withRequestTimeout(Duration timeout) {
        return new BatchingConfig(maxBatchSize, maxBatchDelay, maxQueue, timeout, workers);
    }

    public BatchingConfig withWorkers(int count) {
        return new BatchingConfig(maxBatchSize, maxBatchDelay, maxQueue, requestTimeout, count);
    }
}
