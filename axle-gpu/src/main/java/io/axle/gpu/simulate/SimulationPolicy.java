package io.axle.gpu.simulate;

import io.axle.common.AxleException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The placement strategies a simulation compares. */
public enum SimulationPolicy {
    /** Each replica gets a GPU of its own: never shares, never runs out of memory, wastes the most. */
    ONE_PER_GPU("one-per-gpu"),
    /**
     * The next GPU in turn. On a fixed fleet it ignores memory, as a scheduler that only counts GPUs does; on a
     * growing fleet it takes the first GPU from its cursor on whose live free memory the replica fits.
     */
    ROUND_ROBIN("round-robin"),
    /**
     * The GPU with the most live free memory (what NVML shows now), with no ledger: replicas that start at the same
     * moment all see the same free memory.
     */
    LEAST_LOADED("least-loaded"),
    /**
     * Largest replicas first, each on the GPU with the least free memory that still fits, counting the declared
     * peaks of everything placed (starting replicas included) and, in a rollout, the old and new replicas at once:
     * Axle's admission.
     */
    BEST_FIT_DECREASING("best-fit-decreasing");

    private final String cliName;

    SimulationPolicy(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static SimulationPolicy fromCliName(String name) {
        return Arrays.stream(values())
                .filter(policy -> policy.cliName.equals(name))
                .findFirst()
                .orElseThrow(() -> AxleException.invalidParameter("Unknown simulation policy '" + name
                        + "': use one of "
                        + Arrays.stream(values()).map(SimulationPolicy::cliName).collect(Collectors.joining(", "))
                        + " or all"));
    }
}
