package io.axle.serving.batch;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * {@code --max-batch-size} (rows merged into one run), {@code --max-batch-delay} (how long the first request of a batch
 * waits for company), {@code --max-queue} (requests waiting beyond which new ones get 429).
 */
public record BatchingConfig(int maxBatchSize, Duration maxBatchDelay, int maxQueue) {
    public BatchingConfig {
        requireNonNull(maxBatchDelay, "maxBatchDelay is null");
    }
}
