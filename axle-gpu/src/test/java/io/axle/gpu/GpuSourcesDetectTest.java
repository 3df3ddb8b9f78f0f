package io.axle.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.axle.gpu.nvml.NvmlSource;
import io.axle.gpu.testing.StubNvml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpuSourcesDetectTest {
    @TempDir
    Path dir;

    @Test
    void aNamedLibraryIsReadWithNvml() {
        try (GpuSource source = GpuSources.detect(Optional.of(StubNvml.build(dir)))) {
            GpuSnapshot snapshot = source.snapshot();

            assertThat(snapshot.source()).isEqualTo("nvml");
            assertThat(snapshot.gpus()).extracting(Gpu::uuid).containsExactly(StubNvml.GPU_0_UUID, StubNvml.GPU_1_UUID);
        }
    }

    @Test
    void aNamedLibraryThatFailsIsReportedWithoutFallingBack() {
        Path library = dir.resolve("absent/libnvidia-ml.so.1");

        assertThatThrownBy(() -> GpuSources.detect(Optional.of(library)))
                .isInstanceOf(GpuUnavailableException.class)
                .hasMessage("no NVIDIA library: " + library + " was not found");
    }

    @Test
    void withoutNvmlTheToolIsRead() throws IOException {
        Path nvidiaSmi = fakeNvidiaSmi();

        try (GpuSource source = GpuSources.detect(
                () -> NvmlSource.open(dir.resolve("absent/libnvidia-ml.so.1")), nvidiaSmi.toString())) {
            assertThat(source.snapshot().source()).isEqualTo("nvidia-smi");
            assertThat(source.snapshot().gpus()).extracting(Gpu::uuid).containsExactly(StubNvml.GPU_0_UUID);
        }
    }

    @Test
    void whenNeitherAnswersOneMessageGivesBothReasons() {
        Path library = StubNvml.build(dir, "STUB_INIT_ERROR=9");

        assertThatThrownBy(() -> GpuSources.detect(() -> NvmlSource.open(library), "axle-no-such-nvidia-smi"))
                .isInstanceOf(GpuUnavailableException.class)
                .hasMessage("no GPU can be read here: NVML: NVML could not start: Driver Not Loaded (NVML error 9);"
                        + " is the NVIDIA kernel driver loaded?; nvidia-smi: axle-no-such-nvidia-smi is not on PATH");
    }

    @Test
    void onAHostWithoutAnyNvidiaSoftwareDetectionSaysSoInOneLine() {
        assumeThat(Path.of("/proc/driver/nvidia")).doesNotExist();
        assumeThat(Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                        .anyMatch(directory -> Files.isExecutable(Path.of(directory, "nvidia-smi"))))
                .isFalse();

        assertThatThrownBy(() -> GpuSources.detect(Optional.empty()))
                .isInstanceOf(GpuUnavailableException.class)
                .hasMessage("no GPU can be read here: NVML: no NVIDIA library: libnvidia-ml.so.1 was not found;"
                        + " is the NVIDIA driver installed?; nvidia-smi: nvidia-smi is not on PATH")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private Path fakeNvidiaSmi() throws IOException {
        String script = """
                #!/bin/sh
                case "$1" in
                  --query-gpu=*) echo '0, GPU-5f2a9c1e-0b7d-4e21-9a3c-1d2e3f405161, NVIDIA H200, 00000000:18:00.0, 143771, 0, 143230, 541, 0, 0, 30, 80.1, 345, 3201, 570.86.15' ;;
                esac
                """;
        Path file = Files.writeString(dir.resolve("nvidia-smi"), script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
