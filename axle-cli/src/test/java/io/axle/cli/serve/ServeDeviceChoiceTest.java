package io.axle.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.common.AxleException;
import io.axle.gpu.Gpu;
import io.axle.gpu.GpuSnapshot;
import io.axle.gpu.GpuUnavailableException;
import io.axle.serving.Device;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** {@code --device}: parsing, and the choice of a GPU on recorded snapshots. */
final class ServeDeviceChoiceTest {
    private static final long GIB = 1L << 30;
    private static final Map<String, String> PCI_ORDER = Map.of("CUDA_DEVICE_ORDER", "PCI_BUS_ID");

    // NVML lists them in this order; their PCI bus ids put them in CUDA's order 2, 0, 1
    private static final Gpu ROOMY = gpu(0, "GPU-aaaaaaaa-0000-0000-0000-000000000000", "00000000:AF:00.0", 20 * GIB);
    private static final Gpu HUGE = gpu(1, "GPU-bbbbbbbb-0000-0000-0000-000000000000", "00000000:3B:00.0", 70 * GIB);
    private static final Gpu SMALL = gpu(2, "GPU-cccccccc-0000-0000-0000-000000000000", "00000000:5E:00.0", 10 * GIB);
    private static final GpuSnapshot NODE = snapshot(ROOMY, HUGE, SMALL);

    private final List<String> log = new ArrayList<>();

    @Test
    void deviceFlagsParse() {
        assertThat(DeviceRequest.parse("auto")).isEqualTo(new DeviceRequest.Auto());
        assertThat(DeviceRequest.parse("CPU")).isEqualTo(new DeviceRequest.Cpu());
        assertThat(DeviceRequest.parse("cuda:3")).isEqualTo(new DeviceRequest.CudaIndex(3));
        assertThat(DeviceRequest.parse("cuda")).isEqualTo(new DeviceRequest.CudaIndex(0));
        assertThat(DeviceRequest.parse("gpu-BBBBBBBB-0000-0000-0000-000000000000"))
                .isEqualTo(new DeviceRequest.GpuUuid(HUGE.uuid()));
    }

    @Test
    void aDeviceThatIsNoneOfTheFormsIsRefusedNamingTheForms() {
        assertThatThrownBy(() -> DeviceRequest.parse("tpu:0"))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("use auto, cpu, cuda:<n> or a GPU UUID");
        assertThatThrownBy(() -> DeviceRequest.parse("cuda:-1")).isInstanceOf(AxleException.class);
        assertThatThrownBy(() -> DeviceRequest.parse("MIG-4f6a1c2e-1111-2222-3333-444444444444"))
                .hasMessageContaining("CUDA_VISIBLE_DEVICES");
    }

    @Test
    void autoPicksTheGpuThatLeavesLeastFreeMemoryOverAndNumbersItByPciOrder() {
        assertThat(auto(8 * GIB).device())
                .isEqualTo(Device.cuda(1, auto(8 * GIB).device().describe()));
        assertThat(auto(8 * GIB).gpu()).contains(SMALL);
        assertThat(auto(15 * GIB).gpu()).contains(ROOMY);
        assertThat(auto(15 * GIB).device().cudaIndex()).isEqualTo(2);
        assertThat(auto(30 * GIB).gpu()).contains(HUGE);
        assertThat(auto(30 * GIB).device().cudaIndex()).isZero();
    }

    @Test
    void theChoiceIsLoggedWithTheGpuItsFreeMemoryAndTheFootprintsBasis() {
        DeviceChoice.Placement placement = DeviceChoice.choose(
                new DeviceRequest.Auto(),
                () -> NODE,
                new Footprint(8 * GIB, "measured, from the version's axle.gpu_memory_bytes tag"),
                Map.of(),
                PCI_ORDER,
                log::add);

        assertThat(log)
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .startsWith("device: " + SMALL.uuid())
                        .contains("PCI 00000000:5E:00.0, CUDA device 1")
                        .contains(10 * GIB + " bytes free")
                        .contains("measured, from the version's axle.gpu_memory_bytes tag")
                        .contains("best fit of 3 GPUs"));
        assertThat(placement.device().describe()).isEqualTo(log.getFirst().substring("device: ".length()));
    }

    @Test
    void memoryReservedOnAGpuIsNotFreeForTheChoice() {
        DeviceChoice.Placement placement = DeviceChoice.choose(
                new DeviceRequest.Auto(),
                () -> NODE,
                new Footprint(8 * GIB, "estimated"),
                Map.of(SMALL.uuid(), 5 * GIB),
                PCI_ORDER,
                log::add);

        assertThat(placement.gpu()).contains(ROOMY);
    }

    @Test
    void noGpuWithRoomMeansTheCpuAndALineSayingTheMostThereIs() {
        DeviceChoice.Placement placement = auto(100 * GIB);

        assertThat(placement).isEqualTo(DeviceChoice.Placement.cpu());
        assertThat(log)
                .anySatisfy(line -> assertThat(line)
                        .startsWith("device: cpu, because no GPU has " + 100 * GIB + " bytes free")
                        .contains("the most is " + 70 * GIB + " bytes on " + HUGE.uuid()));
    }

    @Test
    void noReadableGpuMeansTheCpuAndALineWithTheReason() {
        DeviceChoice.Placement placement = DeviceChoice.choose(
                new DeviceRequest.Auto(),
                () -> {
                    throw new GpuUnavailableException("no libnvidia-ml.so.1 here");
                },
                new Footprint(GIB, "estimated"),
                Map.of(),
                Map.of(),
                log::add);

        assertThat(placement).isEqualTo(DeviceChoice.Placement.cpu());
        assertThat(log).containsExactly("device: cpu, because no GPU can be read here (no libnvidia-ml.so.1 here)");
    }

    @Test
    void aGpuInMigModeIsNotChosenWhole() {
        Gpu mig = new Gpu(
                3,
                "GPU-dddddddd-0000-0000-0000-000000000000",
                "NVIDIA H100",
                "00000000:01:00.0",
                80 * GIB,
                0,
                9 * GIB,
                OptionalLong.empty(),
                OptionalInt.empty(),
                OptionalInt.empty(),
                OptionalInt.empty(),
                OptionalLong.empty(),
                OptionalLong.empty(),
                OptionalInt.empty(),
                OptionalInt.empty(),
                Optional.of(true),
                List.of(),
                List.of());

        assertThat(DeviceChoice.bestFit(List.of(mig, SMALL), 8 * GIB, Map.of())).contains(SMALL);
    }

    @Test
    void aGpuUuidMapsToItsRankAmongAllPciBusIds() {
        assertThat(DeviceChoice.cudaIndex(NODE, HUGE.uuid())).isZero();
        assertThat(DeviceChoice.cudaIndex(NODE, SMALL.uuid())).isEqualTo(1);
        assertThat(DeviceChoice.cudaIndex(NODE, ROOMY.uuid())).isEqualTo(2);

        DeviceChoice.Placement placement = DeviceChoice.choose(
                new DeviceRequest.GpuUuid(ROOMY.uuid()),
                () -> NODE,
                new Footprint(0, "not needed"),
                Map.of(),
                PCI_ORDER,
                log::add);
        assertThat(placement.device().cuda()).isTrue();
        assertThat(placement.device().cudaIndex()).isEqualTo(2);
        assertThat(placement.gpu()).contains(ROOMY);
        assertThat(placement.shortName()).isEqualTo("cuda:2 (" + ROOMY.uuid() + ")");
        assertThat(DeviceChoice.Placement.cpu().shortName()).isEqualTo("cpu");
    }

    @Test
    void aGpuUuidNotOnThisHostIsRefusedListingThoseThatAre() {
        assertThatThrownBy(() -> DeviceChoice.choose(
                        new DeviceRequest.GpuUuid("GPU-eeeeeeee-0000-0000-0000-000000000000"),
                        () -> NODE,
                        new Footprint(0, "not needed"),
                        Map.of(),
                        PCI_ORDER,
                        log::add))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("is not a GPU of this host")
                .hasMessageContaining(SMALL.uuid());
    }

    @Test
    void cudaNIsTakenAsAskedAndMeasuredOnTheGpuOfThatPciRank() {
        DeviceChoice.Placement placement = DeviceChoice.choose(
                new DeviceRequest.CudaIndex(1), () -> NODE, new Footprint(0, "-"), Map.of(), PCI_ORDER, log::add);
        DeviceChoice.Placement unreadable = DeviceChoice.choose(
                new DeviceRequest.CudaIndex(1),
                () -> {
                    throw new GpuUnavailableException("no NVML");
                },
                new Footprint(0, "-"),
                Map.of(),
                PCI_ORDER,
                log::add);

        assertThat(placement.device().cudaIndex()).isEqualTo(1);
        assertThat(placement.gpu()).contains(SMALL);
        assertThat(unreadable.device().cudaIndex()).isEqualTo(1);
        assertThat(unreadable.gpu()).isEmpty();
    }

    @Test
    void withoutPciBusIdOrderTheLogWarnsThatCudaMayNumberTheGpusOtherwise() {
        DeviceChoice.choose(
                new DeviceRequest.Auto(), () -> NODE, new Footprint(GIB, "-"), Map.of(), Map.of(), log::add);

        assertThat(log).anySatisfy(line -> assertThat(line).contains("export CUDA_DEVICE_ORDER=PCI_BUS_ID"));
    }

    @Test
    void theFootprintIsTheMeasuredTagWhenThereIsOneElseTwiceTheFilesSize() {
        assertThat(Footprint.of(Optional.of("123456"), 1000).bytes()).isEqualTo(123456);
        assertThat(Footprint.of(Optional.of("123456"), 1000).basis()).contains("measured");
        assertThat(Footprint.of(Optional.empty(), 1000).bytes()).isEqualTo(2000);
        assertThat(Footprint.of(Optional.empty(), 1000).basis()).contains("estimated as 2 x");
        assertThat(Footprint.of(Optional.of("lots"), 1000).bytes()).isEqualTo(2000);
        assertThat(Footprint.of(Optional.of("lots"), 1000).basis()).contains("is not a number");
    }

    private DeviceChoice.Placement auto(long footprint) {
        Supplier<GpuSnapshot> gpus = () -> NODE;
        return DeviceChoice.choose(
                new DeviceRequest.Auto(), gpus, new Footprint(footprint, "estimated"), Map.of(), PCI_ORDER, log::add);
    }

    private static Gpu gpu(int index, String uuid, String pciBusId, long free) {
        return Gpu.basic(index, uuid, "NVIDIA A100", pciBusId, 80 * GIB, 80 * GIB - free, free);
    }

    private static GpuSnapshot snapshot(Gpu... gpus) {
        return new GpuSnapshot(
                "node-3",
                "nvml",
                Instant.parse("2026-11-29T00:00:00Z"),
                Optional.empty(),
                Optional.empty(),
                List.of(gpus));
    }
}
