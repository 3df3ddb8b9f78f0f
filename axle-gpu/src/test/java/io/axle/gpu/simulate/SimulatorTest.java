package io.axle.gpu.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.axle.gpu.placement.ByteSize;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class SimulatorTest {
    private static final long GIB = ByteSize.GIB;
    private static final Simulator.Releases NO_RELEASES = new Simulator.Releases(0, 1, 0);

    private static Simulator growing(Simulator.Releases releases) {
        return new Simulator(Fleet.parse("80GiB"), releases, 7, 0);
    }

    @Test
    void onePerGpuGivesEveryReplicaItsOwnGpu() {
        List<ModelDemand> models = List.of(new ModelDemand("a", 3, 10 * GIB), new ModelDemand("b", 1, 70 * GIB));

        SimulationResult result = growing(NO_RELEASES).run(models, SimulationPolicy.ONE_PER_GPU);

        assertThat(result.gpusNeeded()).isEqualTo(4);
        assertThat(result.fragmentationPercent()).isCloseTo(100.0 * (3 * 70 + 10) / 320, within());
    }

    @Test
    void bestFitDecreasingPacksToTheLowerBoundWhenSizesComplementEachOther() {
        List<ModelDemand> models = List.of(
                new ModelDemand("small", 2, 20 * GIB),
                new ModelDemand("large", 2, 60 * GIB),
                new ModelDemand("half", 2, 40 * GIB));
        Simulator simulator = growing(NO_RELEASES);

        SimulationResult result = simulator.run(models, SimulationPolicy.BEST_FIT_DECREASING);

        assertThat(simulator.lowerBound(models)).isEqualTo(3);
        assertThat(result.gpusNeeded()).isEqualTo(3);
        assertThat(result.fragmentationPercent()).isZero();
        // least-loaded spreads: large, large, then each half on a GPU of its own, and the smalls on the larges
        assertThat(simulator.run(models, SimulationPolicy.LEAST_LOADED).gpusNeeded())
                .isEqualTo(4);
    }

    @Test
    void aFixedFleetCountsReplicasWithoutRoomAsPlacementFailures() {
        Simulator simulator = new Simulator(Fleet.parse("2x80GiB"), NO_RELEASES, 7, 0);
        List<ModelDemand> models = List.of(new ModelDemand("a", 3, 50 * GIB));

        assertThat(simulator.run(models, SimulationPolicy.ONE_PER_GPU).placementFailures())
                .isEqualTo(1);
        assertThat(simulator.run(models, SimulationPolicy.BEST_FIT_DECREASING).placementFailures())
                .isEqualTo(1);
        assertThat(simulator.run(models, SimulationPolicy.LEAST_LOADED).placementFailures())
                .isEqualTo(1);
    }

    @Test
    void roundRobinOnAFixedFleetIgnoresMemoryAndRunsOutOfIt() {
        Simulator simulator = new Simulator(Fleet.parse("2x80GiB"), NO_RELEASES, 7, 0);
        List<ModelDemand> models = List.of(new ModelDemand("a", 2, 50 * GIB), new ModelDemand("b", 1, 50 * GIB));

        SimulationResult result = simulator.run(models, SimulationPolicy.ROUND_ROBIN);

        assertThat(result.oomEvents()).isEqualTo(1);
        assertThat(result.placementFailures()).isEqualTo(1);
    }

    @Test
    void naiveLeastLoadedRunsOutOfMemoryWhenReplicasStartTogetherAndAdmissionNeverDoes() {
        // a and b run on GPUs 0 and 1; both roll out at once, and both new replicas see GPU 2 as the most free
        Simulator simulator = new Simulator(Fleet.parse("4x80GiB"), new Simulator.Releases(1, 2, 0), 7, 0);
        List<ModelDemand> models = List.of(new ModelDemand("a", 1, 50 * GIB), new ModelDemand("b", 1, 50 * GIB));

        SimulationResult naive = simulator.run(models, SimulationPolicy.LEAST_LOADED);
        SimulationResult admitted = simulator.run(models, SimulationPolicy.BEST_FIT_DECREASING);

        assertThat(naive.oomEvents()).isEqualTo(1);
        assertThat(naive.rolledReplicas()).isEqualTo(2);
        assertThat(admitted.oomEvents()).isZero();
        assertThat(admitted.rolledReplicas()).isEqualTo(2);
    }

    @Test
    void onAFullFleetAdmissionRollsOutWithoutSurgeWhereTheNaivePolicyCannotRollOutAtAll() {
        // each GPU holds one 60 GiB replica: a second beside it never fits, so the old one must stop first
        Simulator simulator = new Simulator(Fleet.parse("2x80GiB"), new Simulator.Releases(1, 2, 0), 7, 0);
        List<ModelDemand> models = List.of(new ModelDemand("a", 1, 60 * GIB), new ModelDemand("b", 1, 60 * GIB));

        SimulationResult admitted = simulator.run(models, SimulationPolicy.BEST_FIT_DECREASING);
        SimulationResult naive = simulator.run(models, SimulationPolicy.LEAST_LOADED);

        assertThat(admitted.rolledReplicas()).isEqualTo(2);
        assertThat(admitted.rolledWithoutSurge()).isEqualTo(2);
        assertThat(admitted.placementFailures()).isZero();
        assertThat(admitted.oomEvents()).isZero();
        assertThat(naive.rolledReplicas()).isZero();
        assertThat(naive.placementFailures()).isEqualTo(2);
    }

    @Test
    void onAGrowingFleetAdmissionNeverOverfillsAGpuAcrossManyReleases() {
        Random random = new Random(3);
        List<ModelDemand> models = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            models.add(new ModelDemand(
                    "m" + i, 1 + random.nextInt(3), (long) ((0.1 + 0.8 * random.nextDouble()) * 80 * GIB)));
        }
        Simulator simulator = growing(new Simulator.Releases(30, 12, 0.1));

        SimulationResult admitted = simulator.run(models, SimulationPolicy.BEST_FIT_DECREASING);
        SimulationResult naive = simulator.run(models, SimulationPolicy.LEAST_LOADED);

        assertThat(admitted.oomEvents()).isZero();
        assertThat(admitted.placementFailures()).isZero();
        assertThat(admitted.rolledReplicas()).isGreaterThan(300);
        assertThat(admitted.gpusNeeded()).isLessThan(naive.gpusNeeded());
        assertThat(naive.oomEvents()).isPositive();
        assertThat(admitted.peakGpus()).isGreaterThanOrEqualTo(admitted.gpusNeeded());
    }

    @Test
    void theSameSeedReplaysTheSameReleases() {
        List<ModelDemand> models = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            models.add(new ModelDemand("m" + i, 2, (5 + i) * GIB));
        }
        Simulator simulator = growing(new Simulator.Releases(10, 5, 0.2));

        assertThat(simulator.run(models, SimulationPolicy.LEAST_LOADED))
                .isEqualTo(simulator.run(models, SimulationPolicy.LEAST_LOADED));
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(0.001);
    }
}
