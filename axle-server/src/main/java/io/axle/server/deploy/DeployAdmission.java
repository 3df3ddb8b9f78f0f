package io.axle.server.deploy;

import static java.util.Objects.requireNonNull;

import io.axle.gpu.Gpu;
import io.axle.gpu.GpuSnapshot;
import io.axle.gpu.placement.Admission;
import io.axle.gpu.placement.Placement;
import io.axle.gpu.placement.PlacementPolicy;
import io.axle.gpu.placement.Placer;
import io.axle.gpu.placement.ReplicaRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Admission of a release against a configured GPU pool: the pool becomes a snapshot of idle GPUs, what other
 * deployments hold (and the deployment's own running replicas) is placed on it first, and axle-gpu's {@link Placer}
 * replays the rolling update with one surge replica, then without.
 */
final class DeployAdmission {
    /** Replicas a deployment holds in its pool: what it last committed. */
    record Held(String deployment, int replicas, long bytesPerReplica) {
        Held {
            requireNonNull(deployment, "deployment is null");
        }
    }

    private final Placer placer;

    DeployAdmission(long headroomBytes) {
        this.placer = new Placer(headroomBytes);
    }

    Admission admit(GpuPool pool, List<Held> others, Optional<Held> own, Held request) {
        GpuSnapshot snapshot = snapshot(pool);
        List<Placement> placed = new ArrayList<>();
        for (Held held : others) {
            place(snapshot, placed, held);
        }
        own.ifPresent(held -> place(snapshot, placed, held));
        return placer.admit(
                snapshot,
                placed,
                new ReplicaRequest(request.deployment(), request.replicas(), request.bytesPerReplica(), 1),
                PlacementPolicy.BEST_FIT);
    }

    // a deployment admitted earlier that no longer fits (the pool shrank) holds what still fits
    private void place(GpuSnapshot snapshot, List<Placement> placed, Held held) {
        Admission admission = placer.admit(
                snapshot,
                placed,
                new ReplicaRequest(held.deployment(), held.replicas(), held.bytesPerReplica(), 0),
                PlacementPolicy.BEST_FIT);
        placed.addAll(admission.placements());
    }

    /** The pool as idle GPUs, named {@code node<n>/gpu<g>}. */
    private static GpuSnapshot snapshot(GpuPool pool) {
        List<Gpu> gpus = new ArrayList<>();
        for (int node = 0; node < pool.nodes(); node++) {
            for (int gpu = 0; gpu < pool.gpusPerNode(); gpu++) {
                int index = node * pool.gpusPerNode() + gpu;
                gpus.add(Gpu.basic(
                        index,
                        "node" + node + "/gpu" + gpu,
                        pool.name(),
                        "pool",
                        pool.memoryPerGpuBytes(),
                        0,
                        pool.memoryPerGpuBytes()));
            }
        }
        return new GpuSnapshot(pool.name(), "pool", Instant.EPOCH, Optional.empty(), Optional.empty(), gpus);
    }
}
