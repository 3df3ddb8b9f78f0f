package io.axle.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NvidiaSmiSourceTest {
    private static final long MIB = 1024L * 1024L;
    private static final String GPUS = """
            0, GPU-5f2a9c1e-0b7d-4e21-9a3c-1d2e3f405161, NVIDIA H200, 00000000:18:00.0, 143771, 40960, 102270, 541, 87, 41, 54, 412.34, 1980, 3201, 570.86.15
            1, GPU-a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d, NVIDIA H200, 00000000:DB:00.0, 143771, 0, 143230, 541, [N/A], [N/A], 38, [Not Supported], 345, 3201, 570.86.15
            """;
    private static final String APPS = """
            GPU-5f2a9c1e-0b7d-4e21-9a3c-1d2e3f405161, 4242, 20480, /usr/bin/python3
            GPU-5f2a9c1e-0b7d-4e21-9a3c-1d2e3f405161, 4343, [N/A], /opt/serve/bin/tritonserver, with a comma
            """;

    @TempDir
    Path dir;

    @Test
    void readsTheRecordedCsvInBytesAndMilliwatts() {
        GpuSnapshot snapshot = new NvidiaSmiSource(fake(answering(GPUS, APPS))).snapshot();

        assertThat(snapshot.source()).isEqualTo("nvidia-smi");
        assertThat(snapshot.driverVersion()).contains("570.86.15");
        assertThat(snapshot.cudaDriverVersion()).isEmpty();
        Gpu gpu = snapshot.gpu("GPU-5f2a9c1e-0b7d-4e21-9a3c-1d2e3f405161").orElseThrow();
        assertThat(gpu.index()).isZero();
        assertThat(gpu.name()).isEqualTo("NVIDIA H200");
        assertThat(gpu.pciBusId()).isEqualTo("00000000:18:00.0");
        assertThat(gpu.memoryTotalBytes()).isEqualTo(143771 * MIB);
        assertThat(gpu.memoryUsedBytes()).isEqualTo(40960 * MIB);
        assertThat(gpu.memoryFreeBytes()).isEqualTo(102270 * MIB);
        assertThat(gpu.memoryReservedBytes()).hasValue(541 * MIB);
        assertThat(gpu.gpuUtilizationPercent()).hasValue(87);
        assertThat(gpu.memoryUtilizationPercent()).hasValue(41);
        assertThat(gpu.temperatureCelsius()).hasValue(54);
        assertThat(gpu.powerMilliwatts()).hasValue(412340);
        assertThat(gpu.energyMillijoules()).isEmpty();
        assertThat(gpu.smClockMhz()).hasValue(1980);
        assertThat(gpu.memoryClockMhz()).hasValue(3201);
        assertThat(gpu.migEnabled()).isEmpty();
        assertThat(gpu.processes())
                .containsExactly(
                        new GpuProcess(4242, OptionalLong.of(20480 * MIB), Optional.of("python3"), Optional.empty()),
                        new GpuProcess(
                                4343,
                                OptionalLong.empty(),
                                Optional.of("tritonserver, with a comma"),
                                Optional.empty()));
    }

    @Test
    void notAvailableAndNotSupportedLeaveFieldsEmpty() {
        Gpu gpu = new NvidiaSmiSource(fake(answering(GPUS, "")))
                .snapshot()
                .gpu("GPU-a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d")
                .orElseThrow();

        assertThat(gpu.gpuUtilizationPercent()).isEmpty();
        assertThat(gpu.memoryUtilizationPercent()).isEmpty();
        assertThat(gpu.powerMilliwatts()).isEmpty();
        assertThat(gpu.temperatureCelsius()).hasValue(38);
        assertThat(gpu.processes()).isEmpty();
    }

    @Test
    void anOlderToolThatRejectsMemoryReservedIsAskedAgainWithoutIt() {
        String withoutReserved =
                "0, GPU-5f2a9c1e-0b7d-4e21-9a3c-1d2e3f405161, Tesla V100-SXM2-32GB, 00000000:18:00.0, 32510, 1024, 31486,"
                        + " 5, 1, 40, 55.5, 1530, 877, 470.82.01\n";
        String script = """
                #!/bin/sh
                case "$1" in
                  *memory.reserved*) echo 'Field "memory.reserved" is not a valid field to query.'; exit 2 ;;
                  --query-gpu=*) printf '%s' '__GPUS__' ;;
                  --query-compute-apps=*) ;;
                esac
                """.replace("__GPUS__", withoutReserved);
        NvidiaSmiSource source = new NvidiaSmiSource(fake(script));

        Gpu gpu = source.snapshot().gpus().getFirst();
        assertThat(gpu.name()).isEqualTo("Tesla V100-SXM2-32GB");
        assertThat(gpu.memoryReservedBytes()).isEmpty();
        assertThat(gpu.memoryFreeBytes()).isEqualTo(31486 * MIB);
        assertThat(gpu.powerMilliwatts()).hasValue(55500);
        assertThat(source.snapshot().gpus()).hasSize(1);
    }

    @Test
    void aToolThatCannotReachTheDriverGivesItsFirstLine() {
        String script = """
                #!/bin/sh
                echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running."
                echo
                exit 9
                """;

        assertThatThrownBy(() -> new NvidiaSmiSource(fake(script)).snapshot())
                .isInstanceOf(GpuUnavailableException.class)
                .hasMessage("nvidia-smi failed (exit 9): NVIDIA-SMI has failed because it couldn't communicate with the"
                        + " NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.");
    }

    @Test
    void noDevicesIsUnavailable() {
        assertThatThrownBy(() -> new NvidiaSmiSource(fake(answering("", ""))).snapshot())
                .isInstanceOf(GpuUnavailableException.class)
                .hasMessage("no NVIDIA GPU found");
    }

    @Test
    void aMissingExecutableIsUnavailable() {
        Path missing = dir.resolve("bin/nvidia-smi");

        assertThatThrownBy(() -> NvidiaSmiSource.open(missing.toString()))
                .isInstanceOf(GpuUnavailableException.class)
                .hasMessage(missing + " was not found");
        assertThatThrownBy(() -> NvidiaSmiSource.open("axle-no-such-nvidia-smi"))
                .isInstanceOf(GpuUnavailableException.class)
                .hasMessage("axle-no-such-nvidia-smi is not on PATH");
    }

    @Test
    void aHungToolIsGivenUpOnAfterTheTimeout() {
        String script = """
                #!/bin/sh
                exec sleep 30
                """;
        NvidiaSmiSource source = new NvidiaSmiSource(fake(script), Duration.ofMillis(300));

        assertThatThrownBy(source::snapshot)
                .isInstanceOf(GpuUnavailableException.class)
                .hasMessageStartingWith("nvidia-smi did not answer within");
    }

    private static String answering(String gpus, String apps) {
        return """
                #!/bin/sh
                case "$1" in
                  --query-gpu=index,uuid,name,pci.bus_id,memory.total,memory.used,memory.free,memory.reserved,\
                utilization.gpu,utilization.memory,temperature.gpu,power.draw,clocks.sm,clocks.mem,driver_version)
                    printf '%s' '__GPUS__' ;;
                  --query-compute-apps=gpu_uuid,pid,used_memory,process_name) printf '%s' '__APPS__' ;;
                  *) echo "unexpected arguments: $*"; exit 2 ;;
                esac
                """.replace("__GPUS__", gpus).replace("__APPS__", apps);
    }

    private String fake(String script) {
        try {
            Path file = Files.writeString(dir.resolve("nvidia-smi"), script);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            return file.toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
