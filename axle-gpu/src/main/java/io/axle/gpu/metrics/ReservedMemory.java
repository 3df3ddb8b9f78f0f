package io.axle.gpu.metrics;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;

/**
 * GPU memory Axle has promised to someone on this node (a serving replica, a training job) whether or not the
 * process holding it has started yet.
 *
 * @param gpuUuid the GPU, {@code GPU-xxxxxxxx-...}
 * @param owner who holds the reservation, for people reading the ledger; not exported as a label
 */
public record ReservedMemory(String gpuUuid, long bytes, String owner) {
    public ReservedMemory {
        requireNonNull(gpuUuid, "gpuUuid is null");
        requireNonNull(owner, "owner is null");
        if (bytes < 0) {
            throw AxleException.invalidParameter(
                    "Reserved GPU memory must not be negative: " + bytes + " bytes for " + owner);
        }
    }
}
