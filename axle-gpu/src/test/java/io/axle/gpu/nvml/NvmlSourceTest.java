package io.axle.gpu.nvml;

import static io.axle.gpu.testing.StubNvml.GPU_0_OTHER_PID;
import static io.axle.gpu.testing.StubNvml.GPU_0_UUID;
import static io.axle.gpu.testing.StubNvml.GPU_1_PID;
import static io.axle.gpu.testing.StubNvml.GPU_1_UUID;
import static io.axle.gpu.testing.StubNvml.GPU_TOTAL_BYTES;
import static io.axle.gpu.testing.StubNvml.MIB;
import static io.axle.gpu.testing.StubNvml.MIG_SLOT_0_UUID;
import static io.axle.gpu.testing.StubNvml.MIG_SLOT_2_UUID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.gpu.Gpu;
import io.axle.gpu.GpuProcess;
import io.axle.gpu.GpuSnapshot;
import io.axle.gpu.GpuUnavailableException;
import io.axle.gpu.MigDevice;
import io.axle.gpu.testing.StubNvml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NvmlSourceTest {
    private static final long OWN_PID = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    @Test
    void readsEveryFieldOfAGpuThroughTheLibrary() {
        try (NvmlSource source = NvmlSource.open(StubNvml.build(dir))) {
            GpuSnapshot snapshot = source.snapshot();

            assertThat(snapshot.source()).isEqualTo("nvml");
            assertThat(snapshot.hostname()).isNotBlank();
            assertThat(snapshot.driverVersion()).contains("570.86.15");
            assertThat(snapshot.cudaDriverVersion()).contains("12.8");
            assertThat(snapshot.gpus()).extracting(Gpu::uuid).containsExactly(GPU_0_UUID, GPU_1_UUID);
            Gpu gpu = snapshot.gpu(GPU_0_UUID).orElseThrow();
            assertThat(gpu.index()).isZero();
            assertThat(gpu.name()).isEqualTo("NVIDIA H200");
            assertThat(gpu.pciBusId()).isEqualTo("00000000:18:00.0");
            assertThat(gpu.memoryTotalBytes()).isEqualTo(GPU_TOTAL_BYTES);
            assertThat(gpu.memoryUsedBytes()).isEqualTo(40960 * MIB);
            assertThat(gpu.memoryReservedBytes()).hasValue(541 * MIB);
            assertThat(gpu.memoryFreeBytes()).isEqualTo(GPU_TOTAL_BYTES - 40960 * MIB - 541 * MIB);
            assertThat(gpu.gpuUtilizationPercent()).hasValue(87);
            assertThat(gpu.memoryUtilizationPercent()).hasValue(41);
            assertThat(gpu.temperatureCelsius()).hasValue(54);
            assertThat(gpu.powerMilliwatts()).hasValue(412345);
            assertThat(gpu.energyMillijoules()).hasValue(987654321L);
            assertThat(gpu.smClockMhz()).hasValue(1980);
            assertThat(gpu.memoryClockMhz()).hasValue(3201);
            assertThat(gpu.migEnabled()).contains(false);
            assertThat(gpu.migDevices()).isEmpty();
            assertThat(gpu.processes())
                    .containsExactly(
                            new GpuProcess(
                                    OWN_PID, OptionalLong.of(20480 * MIB), commandName(OWN_PID), Optional.empty()),
                            new GpuProcess(
                                    GPU_0_OTHER_PID,
                                    OptionalLong.of(18432 * MIB),
                                    commandName(GPU_0_OTHER_PID),
                                    Optional.empty()));
        }
    }

    @Test
    void aMigEnabledGpuListsItsOccupiedSlotsAndPlacesProcessesOnThem() {
        try (NvmlSource source = NvmlSource.open(StubNvml.build(dir))) {
            Gpu gpu = source.snapshot().gpu(GPU_1_UUID).orElseThrow();

            assertThat(gpu.index()).isEqualTo(1);
            assertThat(gpu.pciBusId()).isEqualTo("00000000:DB:00.0");
            assertThat(gpu.migEnabled()).contains(true);
            assertThat(gpu.migDevices())
                    .containsExactly(
                            new MigDevice(0, MIG_SLOT_0_UUID, 16384 * MIB, 2048 * MIB, 14336 * MIB),
                            new MigDevice(2, MIG_SLOT_2_UUID, 71680 * MIB, 6144 * MIB, 65536 * MIB));
            assertThat(gpu.processes())
                    .containsExactly(new GpuProcess(
                            GPU_1_PID, OptionalLong.empty(), commandName(GPU_1_PID), Optional.of(MIG_SLOT_2_UUID)));
        }
    }

    @Test
    void aMigGpuThatRefusesToListItsProcessesIsAskedForEachMigDevice() {
        try (NvmlSource source = NvmlSource.open(StubNvml.build(dir, "STUB_MIG_PARENT_NO_PERMISSION"))) {
            GpuSnapshot snapshot = source.snapshot();

            assertThat(snapshot.gpu(GPU_1_UUID).orElseThrow().processes())
                    .containsExactly(new GpuProcess(
                            GPU_1_PID, OptionalLong.empty(), commandName(GPU_1_PID), Optional.of(MIG_SLOT_2_UUID)));
            assertThat(snapshot.gpu(GPU_0_UUID).orElseThrow().processes()).hasSize(2);
        }
    }

    @Test
    void withoutMemoryInfoV2ThePlainCallIsUsedAndReservedIsEmpty() {
        try (NvmlSource source = NvmlSource.open(StubNvml.build(dir, "STUB_NO_MEMINFO_V2"))) {
            Gpu gpu = source.snapshot().gpu(GPU_0_UUID).orElseThrow();

            assertThat(gpu.memoryTotalBytes()).isEqualTo(GPU_TOTAL_BYTES);
            assertThat(gpu.memoryUsedBytes()).isEqualTo((40960 + 541) * MIB);
            assertThat(gpu.memoryFreeBytes()).isEqualTo(GPU_TOTAL_BYTES - (40960 + 541) * MIB);
            assertThat(gpu.memoryReservedBytes()).isEmpty();
        }
    }

    @Test
    void aDriverWithoutTheOptionalSymbolsLeavesThoseFieldsEmpty() {
        try (NvmlSource source = NvmlSource.open(StubNvml.build(dir, "STUB_NO_OPTIONAL"))) {
            Gpu gpu = source.snapshot().gpu(GPU_0_UUID).orElseThrow();

            assertThat(gpu.name()).isEqualTo("NVIDIA H200");
            assertThat(gpu.memoryReservedBytes()).hasValue(541 * MIB);
            assertThat(gpu.gpuUtilizationPercent()).isEmpty();
            assertThat(gpu.memoryUtilizationPercent()).isEmpty();
            assertThat(gpu.temperatureCelsius()).isEmpty();
            assertThat(gpu.powerMilliwatts()).isEmpty();
            assertThat(gpu.energyMillijoules()).isEmpty();
            assertThat(gpu.smClockMhz()).isEqualTo(OptionalInt.empty());
            assertThat(gpu.memoryClockMhz()).isEmpty();
            assertThat(gpu.processes()).isEmpty();
        }
    }

    @Test
    void thirtyTwoByteProcessEntriesGiveTheSamePidsAndMemory() {
        assertThat(processes("STUB_PROCESS_ENTRY=32")).isEqualTo(processes("STUB_PROCESS_ENTRY=24"));
        assertThat(processes("STUB_PROCESS_ENTRY=32"))
                .extracting(GpuProcess::pid, GpuProcess::usedMemoryBytes, GpuProcess::migDeviceUuid)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(OWN_PID, OptionalLong.of(20480 * MIB), Optional.empty()),
                        org.assertj.core.groups.Tuple.tuple(
                                GPU_0_OTHER_PID, OptionalLong.of(18432 * MIB), Optional.empty()),
                        org.assertj.core.groups.Tuple.tuple(
                                GPU_1_PID, OptionalLong.empty(), Optional.of(MIG_SLOT_2_UUID)));
    }

    @Test
    void sixteenByteProcessEntriesGiveThePidsAndMemoryButNoMigDevice() {
        assertThat(processes("STUB_PROCESS_ENTRY=16"))
                .extracting(GpuProcess::pid, GpuProcess::usedMemoryBytes, GpuProcess::migDeviceUuid)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(OWN_PID, OptionalLong.of(20480 * MIB), Optional.empty()),
                        org.assertj.core.groups.Tuple.tuple(
                                GPU_0_OTHER_PID, OptionalLong.of(18432 * MIB), Optional.empty()),
                        org.assertj.core.groups.Tuple.tuple(GPU_1_PID, OptionalLong.empty(), Optional.empty()));
    }

    @Test
    void anInitErrorIsOneLineWithNvmlsTextItsCodeAndAHint() {
        Path library = StubNvml.build(dir, "STUB_INIT_ERROR=9");

        assertThatThrownBy(() -> NvmlSource.open(library))
                .isInstanceOf(GpuUnavailableException.class)
                .hasMessage(
                        "NVML could not start: Driver Not Loaded (NVML error 9); is the NVIDIA kernel driver loaded?");
    }

    @Test
    void aVersionMismatchAtInitSaysWhatToDo() {
        Path library = StubNvml.build(dir, "STUB_INIT_ERROR=18");

        assertThatThrownBy(() -> NvmlSource.open(library))
                .isInstanceOf(GpuUnavailableException.class)
                .hasMessageStartingWith(
                        "NVML could not start: RM has detected an NVML/RM version mismatch. (NVML error 18)")
                .hasMessageContaining("reboot or reinstall the driver");
    }

    @Test
    void aHostWithoutGpusIsUnavailable() {
        Path library = StubNvml.build(dir, "STUB_GPU_COUNT=0");

        assertThatThrownBy(() -> NvmlSource.open(library))
                .isInstanceOf(GpuUnavailableException.class)
                .hasMessage("no NVIDIA GPU found");
    }

    @Test
    void aMissingLibraryFileIsNamed() {
        Path library = dir.resolve("nowhere/libnvidia-ml.so.1");

        assertThatThrownBy(() -> NvmlSource.open(library))
                .isInstanceOf(GpuUnavailableException.class)
                .hasMessage("no NVIDIA library: " + library + " was not found");
    }

    @Test
    void aFileThatIsNotALibraryIsRefused() throws IOException {
        Path library = Files.writeString(dir.resolve("libnvidia-ml.so.1"), "not an ELF file");

        assertThatThrownBy(() -> NvmlSource.open(library))
                .isInstanceOf(GpuUnavailableException.class)
                .hasMessageStartingWith("no NVIDIA library: " + library + " could not be loaded");
    }

    @Test
    void aLibraryWithoutARequiredSymbolIsRefusedNamingIt() {
        Path library = StubNvml.build(dir, "STUB_NO_NAME");

        assertThatThrownBy(() -> NvmlSource.open(library))
                .isInstanceOf(GpuUnavailableException.class)
                .hasMessageContaining("has no nvmlDeviceGetName");
    }

    @Test
    void withoutAnNvidiaDriverTheSystemLibraryIsReportedMissing() {
        assumeThat(Path.of("/proc/driver/nvidia")).doesNotExist();

        assertThatThrownBy(NvmlSource::open)
                .isInstanceOf(GpuUnavailableException.class)
                .hasMessage("no NVIDIA library: libnvidia-ml.so.1 was not found; is the NVIDIA driver installed?");
    }

    @Test
    void repeatedSnapshotsReadTheSameGpus() {
        try (NvmlSource source = NvmlSource.open(StubNvml.build(dir))) {
            List<Gpu> first = source.snapshot().gpus();
            for (int i = 0; i < 200; i++) {
                assertThat(source.snapshot().gpus()).isEqualTo(first);
            }
        }
    }

    @Test
    void snapshotsFromSeveralThreadsAtOnceAllReadTheSameGpus() throws Exception {
        try (NvmlSource source = NvmlSource.open(StubNvml.build(dir));
                ExecutorService threads = Executors.newFixedThreadPool(8)) {
            List<Gpu> expected = source.snapshot().gpus();
            List<Future<List<Gpu>>> reads = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                reads.add(threads.submit(() -> source.snapshot().gpus()));
            }
            for (Future<List<Gpu>> read : reads) {
                assertThat(read.get()).isEqualTo(expected);
            }
        }
    }

    @Test
    void aClosedSourceRefusesSnapshotsClearlyAndClosesOnlyOnce() {
        NvmlSource source = NvmlSource.open(StubNvml.build(dir));
        source.close();
        source.close();

        assertThatThrownBy(source::snapshot)
                .isInstanceOf(AxleException.class)
                .hasMessage("the NVML source is closed; open a new one")
                .extracting(e -> ((AxleException) e).errorCode())
                .isEqualTo(ErrorCode.INVALID_STATE);
    }

    @Test
    void aSecondSourceOnTheSameLibraryWorksAfterTheFirstCloses() {
        Path library = StubNvml.build(dir);
        NvmlSource.open(library).close();

        try (NvmlSource source = NvmlSource.open(library)) {
            assertThat(source.snapshot().gpus()).hasSize(2);
        }
    }

    private List<GpuProcess> processes(String define) {
        Path variant = dir.resolve(define.replace('=', '-'));
        try {
            Files.createDirectories(variant);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (NvmlSource source = NvmlSource.open(StubNvml.build(variant, define))) {
            return source.snapshot().gpus().stream()
                    .flatMap(gpu -> gpu.processes().stream())
                    .toList();
        }
    }

    private static Optional<String> commandName(long pid) {
        try {
            return Optional.of(Files.readString(Path.of("/proc", Long.toString(pid), "comm"))
                    .strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
