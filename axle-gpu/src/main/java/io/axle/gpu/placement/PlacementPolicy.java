package io.axle.gpu.placement;

import io.axle.common.AxleException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Collectors;

/** How a GPU is chosen among those with enough free memory. */
public enum PlacementPolicy {
    /**
     * Lowest GPU utilization first (a GPU that does not report it counts as idle), then the one holding fewest
     * placements or reservations, then the most free memory: spreads work, the usual choice for training jobs.
     */
    LEAST_LOADED("least-loaded"),
    /** Most free memory first: spreads memory, leaves room for the chosen job to grow. */
    MOST_FREE("most-free"),
    /** Least free memory that still fits first: packs GPUs tightly and keeps whole GPUs free for large jobs. */
    BEST_FIT("best-fit");

    private final String cliName;

    PlacementPolicy(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static PlacementPolicy fromCliName(String name) {
        return Arrays.stream(values())
                .filter(policy -> policy.cliName.equals(name))
                .findFirst()
                .orElseThrow(() -> AxleException.invalidParameter("Unknown placement policy '" + name + "': use one of "
                        + Arrays.stream(values()).map(PlacementPolicy::cliName).collect(Collectors.joining(", "))));
    }

    /** The order in which candidates are tried, best first; ties go to the lower NVML index. */
    public Comparator<GpuCapacity> order() {
        Comparator<GpuCapacity> byIndex =
                Comparator.comparingInt(capacity -> capacity.gpu().index());
        return switch (this) {
            case LEAST_LOADED ->
                Comparator.comparingInt((GpuCapacity capacity) ->
                                capacity.gpu().gpuUtilizationPercent().orElse(0))
                        .thenComparingInt(GpuCapacity::holders)
                        .thenComparing(
                                Comparator.comparingLong(GpuCapacity::freeBytes).reversed())
                        .thenComparing(byIndex);
            case MOST_FREE ->
                Comparator.comparingLong(GpuCapacity::freeBytes).reversed().thenComparing(byIndex);
            case BEST_FIT -> Comparator.comparingLong(GpuCapacity::freeBytes).thenComparing(byIndex);
        };
    }
}
