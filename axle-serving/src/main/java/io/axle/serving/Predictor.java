package io.axle.serving;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What the HTTP protocols call: one request's inputs in, its outputs out, possibly merged with other requests into one
 * batch on the way ({@code io.axle.serving.batch}). Failures complete the future exceptionally with an
 * {@link io.axle.common.AxleException}: 400 bad input, 429 queue full ({@code REQUEST_LIMIT_EXCEEDED}), 504 timed out
 * ({@code DEADLINE_EXCEEDED}), 503 shutting down ({@code TEMPORARILY_UNAVAILABLE}).
 */
public interface Predictor extends AutoCloseable {
    CompletableFuture<Map<String, Tensor>> predict(Map<String, Tensor> inputs);

    /**
     * {@link #predict} for a caller that blocks on the answer anyway: a predictor may then run the request on the
     * caller's thread when that is faster (an idle batcher does). The default is {@link #predict}.
     */
    default CompletableFuture<Map<String, Tensor>> predictOnCaller(Map<String, Tensor> inputs) {
        return predict(inputs);
    }

    /** Stops taking requests, finishes those already taken, then returns. */
    @Override
    void close();

    /** Calls the model on the caller's thread, one request per run: no batching. */
    static Predictor direct(Model model) {
        return new Predictor() {
            @Override
            public CompletableFuture<Map<String, Tensor>> predict(Map<String, Tensor> inputs) {
                try {
                    return CompletableFuture.completedFuture(model.predict(inputs));
                } catch (RuntimeException e) {
                    return CompletableFuture.failedFuture(e);
                }
            }

            @Override
            public void close() {}
        };
    }
}
