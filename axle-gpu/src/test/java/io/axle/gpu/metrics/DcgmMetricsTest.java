package io.axle.gpu.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.common.AxleException;
import io.axle.gpu.Gpu;
import io.axle.gpu.GpuSnapshot;
import io.axle.gpu.testing.SampleGpuSnapshots;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

final class DcgmMetricsTest {
    private static final List<ReservedMemory> RESERVATIONS = List.of(
            new ReservedMemory(SampleGpuSnapshots.H100_UUID, 8L << 30, "serving/fraud-v7"),
            new ReservedMemory(SampleGpuSnapshots.H100_UUID, 2L << 30, "train/run-41"),
            new ReservedMemory("GPU-00000000-0000-0000-0000-000000000000", 1L << 30, "left over from another host"));

    @Test
    void twoGpusRenderAsDcgmExporterWritesThemThenAxlesMetrics() {
        String rendered = DcgmMetrics.render(SampleGpuSnapshots.twoGpus(), RESERVATIONS);

        assertThat(rendered).isEqualTo(Golden.read(DcgmMetricsTest.class, "two-gpus.prom"));
    }

    @Test
    void aFieldNoGpuReportsIsLeftOutWithoutHelpOrType() {
        String rendered = DcgmMetrics.render(SampleGpuSnapshots.twoGpus(), List.of());

        assertThat(rendered).doesNotContain("DCGM_FI_DEV_MEM_COPY_UTIL").doesNotContain("axle_gpu_reserved_bytes");
    }

    @Test
    void aFieldOneGpuDoesNotReportHasNoSampleForThatGpu() {
        String rendered = DcgmMetrics.render(SampleGpuSnapshots.twoGpus(), List.of());

        assertThat(rendered.lines().filter(line -> line.startsWith("DCGM_FI_DEV_GPU_TEMP{")))
                .singleElement()
                .asString()
                .contains("gpu=\"0\"");
        assertThat(rendered.lines().filter(line -> line.startsWith("DCGM_FI_DEV_FB_USED{")))
                .hasSize(2);
    }

    @Test
    void labelValuesEscapeBackslashQuoteAndNewline() {
        Gpu odd = Gpu.basic(3, "GPU-x", "Lab \"rig\" A\\B\nspare", "0000:01:00.0", 1L << 30, 0, 1L << 30);
        GpuSnapshot snapshot =
                new GpuSnapshot("h", "snapshot", Instant.EPOCH, Optional.empty(), Optional.empty(), List.of(odd));

        String rendered = DcgmMetrics.render(snapshot, List.of());

        assertThat(rendered)
                .contains("modelName=\"Lab \\\"rig\\\" A\\\\B\\nspare\"")
                .contains("device=\"nvidia3\"")
                .contains("pci_bus_id=\"0000:01:00.0\"");
    }

    @Test
    void anUnknownHostnameIsLeftOutAsDcgmExporterDoes() {
        Gpu gpu = Gpu.basic(0, "GPU-x", "T4", "00000000:00:04.0", 1L << 30, 0, 1L << 30);
        GpuSnapshot snapshot =
                new GpuSnapshot("", "snapshot", Instant.EPOCH, Optional.empty(), Optional.empty(), List.of(gpu));

        assertThat(DcgmMetrics.render(snapshot, List.of())).doesNotContain("Hostname");
    }

    @Test
    void powerIsWattsWithoutRoundingAndWholeWattsHaveNoDecimals() {
        GpuSnapshot snapshot = withPower(List.of(OptionalLong.of(64_382), OptionalLong.of(70_000)));

        String rendered = DcgmMetrics.render(snapshot, List.of());

        assertThat(rendered).contains("gpu=\"0\"", "} 64.382\n").contains("} 70\n");
    }

    @Test
    void noGpusRenderNothing() {
        GpuSnapshot empty = new GpuSnapshot("h", "nvml", Instant.EPOCH, Optional.empty(), Optional.empty(), List.of());

        assertThat(DcgmMetrics.render(empty, RESERVATIONS)).isEmpty();
    }

    @Test
    void scrapeHealthIsAGaugeAndACounter() {
        assertThat(DcgmMetrics.scrapeHealth(false, 3)).isEqualTo("""
                        # HELP axle_gpu_up 1 if the last scrape read the GPUs, 0 if the GPU source failed.
                        # TYPE axle_gpu_up gauge
                        axle_gpu_up 0
                        # HELP axle_gpu_scrape_errors_total Scrapes that could not read the GPUs since the exporter started.
                        # TYPE axle_gpu_scrape_errors_total counter
                        axle_gpu_scrape_errors_total 3
                        """);
    }

    @Test
    void aNegativeReservationIsRefused() {
        assertThatThrownBy(() -> new ReservedMemory("GPU-x", -1, "someone"))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("-1");
    }

    private static GpuSnapshot withPower(List<OptionalLong> powers) {
        List<Gpu> gpus = new java.util.ArrayList<>();
        for (int index = 0; index < powers.size(); index++) {
            gpus.add(new Gpu(
                    index,
                    "GPU-" + index,
                    "L4",
                    "00000000:0" + index + ":00.0",
                    1L << 30,
                    0,
                    1L << 30,
                    OptionalLong.empty(),
                    OptionalInt.empty(),
                    OptionalInt.empty(),
                    OptionalInt.empty(),
                    powers.get(index),
                    OptionalLong.empty(),
                    OptionalInt.empty(),
                    OptionalInt.empty(),
                    Optional.empty(),
                    List.of(),
                    List.of()));
        }
        return new GpuSnapshot("h", "nvml", Instant.EPOCH, Optional.empty(), Optional.empty(), gpus);
    }
}
