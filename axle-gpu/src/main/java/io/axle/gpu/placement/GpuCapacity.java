package io.axle.gpu.placement;

import static java.util.Objects.requireNonNull;

import io.axle.gpu.Gpu;

/**
 * What one GPU can still take, and the arithmetic behind it.
 *
 * @param freeBytes memory a new process may use: never negative, the headroom for its CUDA context already taken off
 * @param holders placements or reservations already on the GPU (a tie-breaker for {@link PlacementPolicy#LEAST_LOADED})
 * @param arithmetic how {@code freeBytes} was reached, e.g. {@code free 66.7 GiB = min(ledger 80.0 GiB − 12.0 GiB
 *     placed, NVML live 67.2 GiB) − headroom 512.0 MiB}
 */
public record GpuCapacity(Gpu gpu, long freeBytes, int holders, String arithmetic) {
    public GpuCapacity {
        requireNonNull(gpu, "gpu is null");
        requireNonNull(arithmetic, "arithmetic is null");
        if (freeBytes < 0 || holders < 0) {
            throw new IllegalArgumentException("freeBytes and holders cannot be negative");
        }
    }

    /**
     * For declared placements of running models: they show in NVML's used memory already, so the free memory is
     * the lower of what the ledger leaves and what NVML reads (memory used from outside Axle counts too).
     */
    public static GpuCapacity ofPlacements(Gpu gpu, long placedBytes, int holders, long headroomBytes) {
        long ledgerFree = gpu.memoryTotalBytes() - placedBytes;
        long free = Math.max(0, Math.min(ledgerFree, gpu.memoryFreeBytes()) - headroomBytes);
        return new GpuCapacity(
                gpu,
                free,
                holders,
                "free " + ByteSize.format(free) + " = min(ledger " + ByteSize.format(gpu.memoryTotalBytes()) + " − "
                        + ByteSize.format(placedBytes) + " placed, NVML live " + ByteSize.format(gpu.memoryFreeBytes())
                        + ") − headroom " + ByteSize.format(headroomBytes));
    }

    /**
     * For reservations of processes that are starting: they do not show in NVML yet, so they come off NVML's live
     * free memory.
     */
    public static GpuCapacity ofReservations(Gpu gpu, long reservedBytes, int holders, long headroomBytes) {
        long free = Math.max(0, gpu.memoryFreeBytes() - reservedBytes - headroomBytes);
        return new GpuCapacity(
                gpu,
                free,
                holders,
                "free " + ByteSize.format(free) + " = NVML live " + ByteSize.format(gpu.memoryFreeBytes()) + " − "
                        + ByteSize.format(reservedBytes) + " reserved − headroom " + ByteSize.format(headroomBytes));
    }

    /** {@code GPU-ab12cd34 (index 0)}: a short name for messages. */
    public String label() {
        String uuid = gpu.uuid();
        return (uuid.length() > 12 ? uuid.substring(0, 12) : uuid) + " (index " + gpu.index() + ")";
    }
}
