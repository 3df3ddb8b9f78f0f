package io.axle.gpu.simulate;

import static java.util.Objects.requireNonNull;

/** A model to place: {@code replicas} copies, each holding {@code bytes} of GPU memory at its peak. */
public record ModelDemand(String model, int replicas, long bytes) {
    public ModelDemand {
        requireNonNull(model, "model is null");
        if (replicas < 1 || bytes < 1) {
            throw new IllegalArgumentException("replicas and bytes must be positive");
        }
    }
}
