package io.axle.gpu.placement;

import static io.axle.gpu.placement.RecordedSnapshots.GPU0;
import static io.axle.gpu.placement.RecordedSnapshots.GPU1;
import static io.axle.gpu.placement.RecordedSnapshots.GPU2;
import static io.axle.gpu.placement.RecordedSnapshots.GPU3;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.gpu.Gpu;
import io.axle.gpu.GpuSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class PlacerTest {
    private static final long GIB = ByteSize.GIB;
    private final GpuSnapshot fourH100 = RecordedSnapshots.fourH100();
    private final Placer placer = new Placer(Placer.DEFAULT_HEADROOM_BYTES);

    private List<String> pick(List<Placement> reserved, long minFree, int count, PlacementPolicy policy) {
        return placer.pick(fourH100, reserved, minFree, count, policy).stream()
                .map(capacity -> capacity.gpu().uuid())
                .toList();
    }

    @Test
    void leastLoadedPicksTheIdlestGpu() {
        assertThat(pick(List.of(), 0, 2, PlacementPolicy.LEAST_LOADED)).containsExactly(GPU2, GPU1);
    }

    @Test
    void mostFreePicksTheGpusWithTheMostFreeMemory() {
        assertThat(pick(List.of(), 0, 2, PlacementPolicy.MOST_FREE)).containsExactly(GPU2, GPU0);
    }

    @Test
    void bestFitPicksTheGpuWithTheLeastFreeMemoryThatStillFits() {
        assertThat(pick(List.of(), 30 * GIB, 1, PlacementPolicy.BEST_FIT)).containsExactly(GPU3);
        assertThat(pick(List.of(), 45 * GIB, 1, PlacementPolicy.BEST_FIT)).containsExactly(GPU0);
    }

    @Test
    void theHeadroomComesOffEveryGpusFreeMemory() {
        // GPU 2 has 79 GiB free in NVML: 78.5 GiB is left once the CUDA context's headroom is kept
        assertThat(pick(List.of(), 78 * GIB, 1, PlacementPolicy.MOST_FREE)).containsExactly(GPU2);
        assertThatThrownBy(() -> pick(List.of(), 78 * GIB + GIB / 2 + 1, 1, PlacementPolicy.MOST_FREE))
                .isInstanceOf(NothingFitsException.class);
    }

    @Test
    void reservationsComeOffNvmlsLiveFreeMemory() {
        List<Placement> reserved = List.of(new Placement("pick", GPU2, 60 * GIB));

        assertThat(pick(reserved, 30 * GIB, 2, PlacementPolicy.MOST_FREE)).containsExactly(GPU0, GPU3);
    }

    @Test
    void leastLoadedPrefersAGpuWithoutReservationsAmongEquallyBusyOnes() {
        List<Placement> reserved = List.of(new Placement("pick", GPU2, 0));

        assertThat(pick(reserved, 0, 1, PlacementPolicy.LEAST_LOADED)).containsExactly(GPU2);
        GpuSnapshot idle = snapshot(gpu(0, "GPU-a", 80, 0), gpu(1, "GPU-b", 80, 0));
        assertThat(placer.pick(idle, List.of(new Placement("pick", "GPU-a", 0)), 0, 1, PlacementPolicy.LEAST_LOADED))
                .extracting(capacity -> capacity.gpu().uuid())
                .containsExactly("GPU-b");
    }

    @Test
    void nothingFitsNamesEveryGpusFreeMemoryAndWhatWasAsked() {
        assertThatThrownBy(() -> pick(List.of(), 70 * GIB, 2, PlacementPolicy.LEAST_LOADED))
                .isInstanceOf(NothingFitsException.class)
                .hasMessageContaining("2 GPUs with 70.0 GiB free each")
                .hasMessageContaining("1 of 4 GPU(s)")
                .hasMessageContaining("GPU-0a1b2c3d (index 0) free 67.5 GiB = NVML live 68.0 GiB − 0 B reserved"
                        + " − headroom 512.0 MiB")
                .hasMessageContaining("GPU-2c3d4e5f (index 2) free 78.5 GiB");
    }

    @Test
    void aFreshModelFitsAndItsReplicasGoToDistinctGpus() {
        Admission admission =
                placer.admit(fourH100, List.of(), new ReplicaRequest("fraud", 3, 9 * GIB, 1), PlacementPolicy.BEST_FIT);

        assertThat(admission.verdict()).isEqualTo(Admission.Verdict.FITS);
        assertThat(admission.placements()).extracting(Placement::gpuUuid).containsExactly(GPU1, GPU3, GPU0);
        assertThat(admission.explanation())
                .contains("'fraud' needs 3 replicas × 9.0 GiB = 27.0 GiB")
                .endsWith("fits");
    }

    @Test
    void replicasShareAGpuOnlyWhenNoOtherHasRoom() {
        GpuSnapshot one = snapshot(gpu(0, "GPU-a", 80, 0));

        Admission admission =
                placer.admit(one, List.of(), new ReplicaRequest("small", 2, 10 * GIB, 0), PlacementPolicy.MOST_FREE);

        assertThat(admission.placements()).extracting(Placement::gpuUuid).containsExactly("GPU-a", "GPU-a");
    }

    @Test
    void theLowerOfLedgerAndLiveFreeMemoryCounts() {
        // the ledger says 50 GiB placed on an 80 GiB GPU, but a process outside Axle holds 20 GiB more
        GpuSnapshot busy = snapshot(gpu(0, "GPU-a", 80, 70));
        List<Placement> placed = List.of(new Placement("other", "GPU-a", 50 * GIB));

        Admission admission =
                placer.admit(busy, placed, new ReplicaRequest("llm", 1, 20 * GIB, 0), PlacementPolicy.BEST_FIT);

        assertThat(admission.verdict()).isEqualTo(Admission.Verdict.DOES_NOT_FIT);
        assertThat(admission.explanation())
                .contains("free 9.5 GiB = min(ledger 80.0 GiB − 50.5 GiB placed, NVML live 10.0 GiB) − headroom"
                        + " 512.0 MiB")
                .contains("does not fit because new replica 1 of 1")
                .contains("needs 20.0 GiB > largest free 9.5 GiB");
    }

    @Test
    void declaredPeaksAlreadyPlacedCountEvenWhenTheyAreNotAllocatedYet() {
        GpuSnapshot idle = snapshot(gpu(0, "GPU-a", 80, 0));
        List<Placement> placed = List.of(new Placement("other", "GPU-a", 60 * GIB));

        Admission admission =
                placer.admit(idle, placed, new ReplicaRequest("llm", 1, 20 * GIB, 0), PlacementPolicy.BEST_FIT);

        assertThat(admission.verdict()).isEqualTo(Admission.Verdict.DOES_NOT_FIT);
        assertThat(admission.explanation()).contains("min(ledger 80.0 GiB − 60.5 GiB placed, NVML live 80.0 GiB)");
    }

    @Test
    void aRolloutThatFitsOnlyWhenOldReplicasStopFirstSaysSo() {
        // two GPUs, each running one 30 GiB replica of 'llm' with 40 GiB more free: a third 30 GiB fits nowhere
        // while both old replicas run, but each new one fits where an old one stopped
        GpuSnapshot running = snapshot(gpu(0, "GPU-a", 80, 40), gpu(1, "GPU-b", 80, 40));
        List<Placement> old = List.of(
                new Placement("llm", "GPU-a", 30 * GIB),
                new Placement("llm", "GPU-b", 30 * GIB),
                new Placement("other", "GPU-a", 9 * GIB),
                new Placement("other", "GPU-b", 9 * GIB));

        Admission admission =
                placer.admit(running, old, new ReplicaRequest("llm", 2, 45 * GIB, 1), PlacementPolicy.BEST_FIT);

        assertThat(admission.verdict()).isEqualTo(Admission.Verdict.FITS_WITHOUT_SURGE);
        assertThat(admission.explanation())
                .contains("+ surge 1 × 45.0 GiB while 2 old replica(s) run = 135.0 GiB")
                .contains("fits only with maxSurge 0");
        assertThat(admission.placements()).extracting(Placement::gpuUuid).containsExactlyInAnyOrder("GPU-a", "GPU-b");
    }

    @Test
    void aRolloutWithRoomForTheSurgeFits() {
        GpuSnapshot running = snapshot(gpu(0, "GPU-a", 80, 20), gpu(1, "GPU-b", 80, 20), gpu(2, "GPU-c", 80, 0));
        List<Placement> old = List.of(new Placement("llm", "GPU-a", 20 * GIB), new Placement("llm", "GPU-b", 20 * GIB));

        Admission admission =
                placer.admit(running, old, new ReplicaRequest("llm", 2, 22 * GIB, 1), PlacementPolicy.BEST_FIT);

        assertThat(admission.verdict()).isEqualTo(Admission.Verdict.FITS);
        assertThat(admission.placements()).extracting(Placement::gpuUuid).containsExactly("GPU-c", "GPU-a");
    }

    @Test
    void aModelLargerThanEveryGpuDoesNotFitEvenWithoutSurge() {
        Admission admission = placer.admit(
                fourH100, List.of(), new ReplicaRequest("huge", 1, 100 * GIB, 1), PlacementPolicy.LEAST_LOADED);

        assertThat(admission.fits()).isFalse();
        assertThat(admission.placements()).isEmpty();
        assertThat(admission.explanation()).contains("needs 100.0 GiB > largest free 78.5 GiB on 4 GPU(s)");
    }

    @Test
    void policiesHaveTheirCommandLineNames() {
        assertThat(PlacementPolicy.fromCliName("best-fit")).isEqualTo(PlacementPolicy.BEST_FIT);
        assertThatThrownBy(() -> PlacementPolicy.fromCliName("random"))
                .hasMessageContaining("'random'")
                .hasMessageContaining("least-loaded, most-free, best-fit");
    }

    static Gpu gpu(int index, String uuid, long totalGib, long usedGib) {
        return Gpu.basic(
                index,
                uuid,
                "NVIDIA A100 80GB",
                "00000000:0" + index + ":00.0",
                totalGib * GIB,
                usedGib * GIB,
                (totalGib - usedGib) * GIB);
    }

    static GpuSnapshot snapshot(Gpu... gpus) {
        return new GpuSnapshot("node-1", "test", Instant.EPOCH, Optional.empty(), Optional.empty(), List.of(gpus));
    }
}
