package io.axle.gpu.placement;

import static java.util.Objects.requireNonNull;

/**
 * One replica of a model placed on a GPU, with its declared peak memory (what it may use at most, not what it uses
 * now): an entry of the placement ledger.
 */
public record Placement(String model, String gpuUuid, long bytes) {
    public Placement {
        requireNonNull(model, "model is null");
        requireNonNull(gpuUuid, "gpuUuid is null");
        if (bytes < 0) {
            throw AxleExceptions.negative("declared memory of '" + model + "'", bytes);
        }
    }
}
