package io.axle.gpu;

import static java.util.Objects.requireNonNull;

/** A MIG partition of a GPU: {@code MIG-xxxxxxxx-...} is what {@code CUDA_VISIBLE_DEVICES} takes for it. */
public record MigDevice(int index, String uuid, long memoryTotalBytes, long memoryUsedBytes, long memoryFreeBytes) {
    public MigDevice {
        requireNonNull(uuid, "uuid is null");
    }
}
