package io.axle.serving.http;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.serving.Model;
import io.axle.serving.ModelHandle;
import io.axle.serving.Tensor;
import io.axle.serving.model.InputValidation;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/** One prediction under a lease on the served model, answered within the request timeout or 504. */
final class Inference {
    private final ModelHandle handle;
    private final Duration timeout;

    Inference(ModelHandle handle, Duration timeout) {
        this.handle = requireNonNull(handle, "handle is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    /** What a protocol needs to answer: the model that ran (its name and version) and its outputs. */
    record Outcome(Model model, Map<String, Tensor> outputs) {}

    /** Leases the model, turns the request into inputs for it with {@code parse}, and runs it. */
    Outcome run(Function<Model, Map<String, Tensor>> parse) {
        try (ModelHandle.Lease lease = handle.acquire()) {
            Model model = lease.served().model();
            Map<String, Tensor> inputs = parse.apply(model);
            // refused here, a bad request never joins (and fails) a batch
            InputValidation.check(model.signature(), inputs);
            CompletableFuture<Map<String, Tensor>> outputs =
                    lease.served().predictor().predictOnCaller(inputs);
            return new Outcome(model, await(outputs, model));
        }
    }

    /** The model now served, for metadata; it is not run. */
    Model model() {
        return handle.peek().model();
    }

    private Map<String, Tensor> await(CompletableFuture<Map<String, Tensor>> outputs, Model model) {
        try {
            return outputs.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            outputs.cancel(true);
            throw new AxleException(
                    ErrorCode.DEADLINE_EXCEEDED,
                    "model '" + model.name() + "' did not answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AxleException(ErrorCode.TEMPORARILY_UNAVAILABLE, "the server is shutting down");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AxleException axle) {
                throw axle;
            }
            throw new AxleException(
                    ErrorCode.INTERNAL_ERROR, "model '" + model.name() + "' failed: " + e.getCause(), e.getCause());
        }
    }
}
