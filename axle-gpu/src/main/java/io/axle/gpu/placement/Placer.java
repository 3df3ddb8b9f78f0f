package io.axle.gpu.placement;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.gpu.Gpu;
import io.axle.gpu.GpuSnapshot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Admission and placement of model replicas on one host's GPUs: pure functions of a {@link GpuSnapshot} (NVML's live
 * view) and the ledger of declared placements. Every placement keeps {@code headroomBytes} spare for the process's
 * CUDA context (300-500 MiB on current drivers, before any tensor) and for the caching allocator's growth past the
 * declared peak.
 */
public final class Placer {
    /** 512 MiB: a CUDA context takes 300-500 MiB, and allocators round up and fragment beyond a declared peak. */
    public static final long DEFAULT_HEADROOM_BYTES = 512 * ByteSize.MIB;

    private final long headroomBytes;

    public Placer(long headroomBytes) {
        if (headroomBytes < 0) {
            throw AxleExceptions.negative("headroom", headroomBytes);
        }
        this.headroomBytes = headroomBytes;
    }

    public long headroomBytes() {
        return headroomBytes;
    }

    /**
     * Admits {@code request} on {@code snapshot}'s GPUs. Placements of the same model in {@code placed} are its old
     * replicas: the rollout starts up to {@code maxSurge} new replicas while they run, then replaces them one by one.
     * Replicas of one model go to distinct GPUs when possible (anti-affinity), then in {@code policy}'s order.
     */
    public Admission admit(
            GpuSnapshot snapshot, List<Placement> placed, ReplicaRequest request, PlacementPolicy policy) {
        requireNonNull(request, "request is null");
        requireNonNull(policy, "policy is null");
        String asked = asked(request, placed);
        Rollout withSurge = rollout(snapshot, placed, request, request.maxSurge(), policy);
        if (withSurge.failure().isEmpty()) {
            return new Admission(Admission.Verdict.FITS, withSurge.placements(), fits(snapshot, placed, asked));
        }
        if (request.maxSurge() > 0) {
            Rollout withoutSurge = rollout(snapshot, placed, request, 0, policy);
            if (withoutSurge.failure().isEmpty()) {
                return new Admission(
                        Admission.Verdict.FITS_WITHOUT_SURGE,
                        withoutSurge.placements(),
                        described(snapshot, placed) + "; " + asked + ": fits only with maxSurge 0 ("
                                + withSurge.failure().orElseThrow() + ")");
            }
        }
        return new Admission(
                Admission.Verdict.DOES_NOT_FIT,
                List.of(),
                described(snapshot, placed) + "; " + asked + ": does not fit because "
                        + withSurge.failure().orElseThrow());
    }

    /**
     * Chooses {@code count} distinct GPUs that each have {@code minFreeBytes} free for a process about to start, in
     * {@code policy}'s order. {@code reserved} are reservations of other starting processes: they are not in NVML's
     * used memory yet, so they come off its live free memory.
     *
     * @throws NothingFitsException naming every GPU's free memory and what was asked
     */
    public List<GpuCapacity> pick(
            GpuSnapshot snapshot, List<Placement> reserved, long minFreeBytes, int count, PlacementPolicy policy) {
        if (count < 1) {
            throw AxleException.invalidParameter("A pick needs a count of at least 1, not " + count);
        }
        List<GpuCapacity> capacities = new ArrayList<>();
        for (Gpu gpu : snapshot.gpus()) {
            List<Placement> on = reserved.stream()
                    .filter(p -> p.gpuUuid().equals(gpu.uuid()))
                    .toList();
            long reservedBytes = on.stream().mapToLong(Placement::bytes).sum();
            capacities.add(GpuCapacity.ofReservations(gpu, reservedBytes, on.size(), headroomBytes));
        }
        List<GpuCapacity> chosen = capacities.stream()
                .filter(capacity -> capacity.freeBytes() >= minFreeBytes)
                .sorted(policy.order())
                .limit(count)
                .toList();
        if (chosen.size() < count) {
            String asked = count == 1
                    ? "a GPU with " + ByteSize.format(minFreeBytes) + " free"
                    : count + " GPUs with " + ByteSize.format(minFreeBytes) + " free each";
            String gpus = capacities.isEmpty()
                    ? "this host has no GPU"
                    : capacities.stream()
                            .map(capacity -> capacity.label() + " " + capacity.arithmetic())
                            .collect(Collectors.joining("; "));
            throw new NothingFitsException("Nothing fits: asked for " + asked + ", " + chosen.size() + " of "
                    + snapshot.gpus().size() + " GPU(s) have it: " + gpus);
        }
        return chosen;
    }

    /** Every GPU's capacity under the ledger {@code placed}, in NVML order. */
    public List<GpuCapacity> capacities(GpuSnapshot snapshot, List<Placement> placed) {
        List<GpuCapacity> capacities = new ArrayList<>();
        for (Gpu gpu : snapshot.gpus()) {
            List<Placement> on =
                    placed.stream().filter(p -> p.gpuUuid().equals(gpu.uuid())).toList();
            long placedBytes =
                    on.stream().mapToLong(p -> p.bytes() + headroomBytes).sum();
            capacities.add(GpuCapacity.ofPlacements(gpu, placedBytes, on.size(), headroomBytes));
        }
        return capacities;
    }

    private String fits(GpuSnapshot snapshot, List<Placement> placed, String asked) {
        return described(snapshot, placed) + "; " + asked + ": fits";
    }

    private String described(GpuSnapshot snapshot, List<Placement> placed) {
        return capacities(snapshot, placed).stream()
                .map(capacity -> capacity.label() + ": " + capacity.arithmetic())
                .collect(Collectors.joining("; "));
    }

    private String asked(ReplicaRequest request, List<Placement> placed) {
        long old =
                placed.stream().filter(p -> p.model().equals(request.model())).count();
        long total = (request.replicas() + request.maxSurge()) * request.bytesPerReplica();
        String surge = old == 0
                ? ""
                : " + surge " + request.maxSurge() + " × " + ByteSize.format(request.bytesPerReplica()) + " while "
                        + old + " old replica(s) run";
        return "'" + request.model() + "' needs " + request.replicas() + " replicas × "
                + ByteSize.format(request.bytesPerReplica()) + surge + " = "
                + ByteSize.format(old == 0 ? request.replicas() * request.bytesPerReplica() : total)
                + " (+ headroom " + ByteSize.format(0L + headroomBytes) + " each)";
    }

    private record Rollout(List<Placement> placements, Optional<String> failure) {}

    /**
     * Replays a rolling update step by step: start a new replica while fewer than replicas + surge run, else stop
     * the oldest old replica. New and stopped replicas change both the ledger and the live free memory.
     */
    private Rollout rollout(
            GpuSnapshot snapshot, List<Placement> placed, ReplicaRequest request, int surge, PlacementPolicy policy) {
        List<Placement> ledger = new ArrayList<>(placed);
        Map<String, Long> liveDelta = new HashMap<>();
        Deque<Placement> old = new ArrayDeque<>(
                placed.stream().filter(p -> p.model().equals(request.model())).toList());
        List<Placement> started = new ArrayList<>();
        while (started.size() < request.replicas()) {
            if (old.isEmpty() || old.size() + started.size() < request.replicas() + surge) {
                List<GpuCapacity> capacities = capacities(live(snapshot, liveDelta), ledger);
                Optional<GpuCapacity> chosen = capacities.stream()
                        .filter(capacity -> capacity.freeBytes() >= request.bytesPerReplica())
                        .min(Comparator.comparingLong(
                                        (GpuCapacity capacity) -> replicasOn(ledger, request.model(), capacity))
                                .thenComparing(policy.order()));
                if (chosen.isEmpty()) {
                    long largest = capacities.stream()
                            .mapToLong(GpuCapacity::freeBytes)
                            .max()
                            .orElse(0);
                    return new Rollout(
                            List.of(),
                            Optional.of("new replica " + (started.size() + 1) + " of " + request.replicas() + " ("
                                    + (old.size() + started.size()) + " running beside it) needs "
                                    + ByteSize.format(request.bytesPerReplica()) + " > largest free "
                                    + ByteSize.format(largest)
                                    + (capacities.isEmpty() ? " (no GPU)" : " on " + capacities.size() + " GPU(s)")));
                }
                Placement replica =
                        new Placement(request.model(), chosen.get().gpu().uuid(), request.bytesPerReplica());
                ledger.add(replica);
                started.add(replica);
                liveDelta.merge(replica.gpuUuid(), -(replica.bytes() + headroomBytes), Long::sum);
            } else {
                Placement stopped = old.removeFirst();
                ledger.remove(stopped);
                liveDelta.merge(stopped.gpuUuid(), stopped.bytes() + headroomBytes, Long::sum);
            }
        }
        return new Rollout(started, Optional.empty());
    }

    private static long replicasOn(List<Placement> ledger, String model, GpuCapacity capacity) {
        return ledger.stream()
                .filter(p -> p.model().equals(model)
                        && p.gpuUuid().equals(capacity.gpu().uuid()))
                .count();
    }

    private static GpuSnapshot live(GpuSnapshot snapshot, Map<String, Long> liveDelta) {
        if (liveDelta.isEmpty()) {
            return snapshot;
        }
        List<Gpu> gpus = snapshot.gpus().stream()
                .map(gpu -> {
                    long delta = liveDelta.getOrDefault(gpu.uuid(), 0L);
                    long free = Math.clamp(gpu.memoryFreeBytes() + delta, 0, gpu.memoryTotalBytes());
                    return new Gpu(
                            gpu.index(),
                            gpu.uuid(),
                            gpu.name(),
                            gpu.pciBusId(),
                            gpu.memoryTotalBytes(),
                            gpu.memoryTotalBytes() - free,
                            free,
                            gpu.memoryReservedBytes(),
                            gpu.gpuUtilizationPercent(),
                            gpu.memoryUtilizationPercent(),
                            gpu.temperatureCelsius(),
                            gpu.powerMilliwatts(),
                            gpu.energyMillijoules(),
                            gpu.smClockMhz(),
                            gpu.memoryClockMhz(),
                            gpu.migEnabled(),
                            gpu.migDevices(),
                            gpu.processes());
                })
                .toList();
        return new GpuSnapshot(
                snapshot.hostname(),
                snapshot.source(),
                snapshot.takenAt(),
                snapshot.driverVersion(),
                snapshot.cudaDriverVersion(),
                gpus);
    }
}
