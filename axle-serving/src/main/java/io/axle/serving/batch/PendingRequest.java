package io.axle.serving.batch;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.serving.Tensor;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A request taken by the batcher and not yet answered. Identity matters: the queue removes it by reference. */
final class PendingRequest {
    private final Map<String, Tensor> inputs;
    private final Optional<MergeKey.Rows> rows;
    private final Duration timeout;
    private final long deadlineNanos;
    private final CompletableFuture<Map<String, Tensor>> future = new CompletableFuture<>();

    PendingRequest(Map<String, Tensor> inputs, Duration timeout, long startNanos) {
        this.inputs = Map.copyOf(requireNonNull(inputs, "inputs is null"));
        this.rows = MergeKey.of(this.inputs);
        this.timeout = requireNonNull(timeout, "timeout is null");
        this.deadlineNanos = startNanos + timeout.toNanos();
    }

    Map<String, Tensor> inputs() {
        return inputs;
    }

    /** Its rows and merge key; empty when it must run alone. */
    Optional<MergeKey.Rows> rows() {
        return rows;
    }

    long rowCount() {
        return rows.map(MergeKey.Rows::count).orElse(1L);
    }

    boolean canJoin(MergeKey key) {
        return rows.isPresent() && rows.get().key().equals(key);
    }

    boolean expired(long nowNanos) {
        return nowNanos - deadlineNanos >= 0;
    }

    Duration timeout() {
        return timeout;
    }

    /** Fails the request with 504 unless it was answered already; true when this call failed it. */
    boolean expire(String modelName) {
        return future.completeExceptionally(new AxleException(
                ErrorCode.DEADLINE_EXCEEDED,
                "Model '" + modelName + "' did not answer within " + timeout.toMillis() + " ms"));
    }

    CompletableFuture<Map<String, Tensor>> future() {
        return future;
    }
}
