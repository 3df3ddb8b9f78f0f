package io.axle.serving.batch;

import io.axle.serving.Model;
import io.axle.serving.Predictor;
import io.axle.serving.metrics.ServingMetrics;

/** Merges concurrent requests into one {@code session.run} and splits the outputs back. */
public final class DynamicBatcher {
    private DynamicBatcher() {}

    /** A predictor that batches calls to {@code model} as {@code config} says. */
    public static Predictor create(Model model, BatchingConfig config, ServingMetrics metrics) {
        throw new UnsupportedOperationException("being built");
    }
}
