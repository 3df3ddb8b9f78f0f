package io.axle.gpu.simulate;

import static java.util.Objects.requireNonNull;

/**
 * What one policy did.
 *
 * @param gpusNeeded GPUs holding at least one replica once every model is placed
 * @param peakGpus the most GPUs holding a replica at any moment, rolling releases included
 * @param fragmentationPercent memory left free on the GPUs in use, as a share of their capacity, once every model is
 *     placed: stranded memory no replica larger than it can use
 * @param oomEvents replicas that started on a GPU without room for them once everything there allocated, and crashed
 * @param placementFailures replicas for which a fixed fleet had no GPU (in a rollout, the old replica keeps running)
 * @param rolledReplicas new replicas started by releases
 * @param rolledWithoutSurge of those, the ones admission started only after their old replica stopped, as there was
 *     no room for both (best-fit-decreasing only: the naive policies do not know)
 */
public record SimulationResult(
        SimulationPolicy policy,
        int replicas,
        int gpusNeeded,
        int peakGpus,
        double fragmentationPercent,
        int oomEvents,
        int placementFailures,
        int rolledReplicas,
        int rolledWithoutSurge) {
    public SimulationResult {
        requireNonNull(policy, "policy is null");
    }
}
