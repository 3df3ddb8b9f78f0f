package io.axle.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.common.AxleException;
import io.axle.gpu.nvml.NvmlSource;
import io.axle.gpu.testing.StubNvml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpuSnapshotJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aFullSnapshotReadFromNvmlSurvivesTheRoundTrip() throws IOException {
        GpuSnapshot snapshot;
        try (NvmlSource source = NvmlSource.open(StubNvml.build(dir))) {
            snapshot = source.snapshot();
        }

        GpuSnapshot read = GpuSnapshotJson.read(
                MAPPER.readTree(GpuSnapshotJson.write(snapshot).toString()));

        assertThat(read).isEqualTo(snapshot);
        assertThat(read.gpus().get(1).migDevices()).hasSize(2);
        assertThat(read.gpus().get(1).processes().getFirst().migDeviceUuid()).contains(StubNvml.MIG_SLOT_2_UUID);
    }

    @Test
    void everyOptionalFieldSurvivesTheRoundTripPresentOrAbsent() throws IOException {
        Gpu full = new Gpu(
                3,
                "GPU-00000000-1111-2222-3333-444444444444",
                "NVIDIA A100-SXM4-80GB",
                "00000000:07:00.0",
                85899345920L,
                1073741824L,
                84289323008L,
                OptionalLong.of(536870912L),
                OptionalInt.of(100),
                OptionalInt.of(0),
                OptionalInt.of(71),
                OptionalLong.of(399999),
                OptionalLong.of(Long.MAX_VALUE),
                OptionalInt.of(1410),
                OptionalInt.of(1593),
                Optional.of(false),
                List.of(new MigDevice(6, "MIG-abcdefab-cdef-abcd-efab-cdefabcdefab", 10L, 4L, 6L)),
                List.of(
                        new GpuProcess(1, OptionalLong.of(7), Optional.of("python"), Optional.empty()),
                        new GpuProcess(2, OptionalLong.empty(), Optional.empty(), Optional.of("MIG-x"))));
        Gpu basic = Gpu.basic(0, "GPU-basic", "Tesla T4", "", 16L, 1L, 15L);
        GpuSnapshot snapshot = new GpuSnapshot(
                "node-7",
                "nvidia-smi",
                Instant.parse("2026-11-29T00:10:11.123456789Z"),
                Optional.of("470.82.01"),
                Optional.empty(),
                List.of(full, basic));

        JsonNode json = MAPPER.readTree(GpuSnapshotJson.write(snapshot).toString());

        assertThat(GpuSnapshotJson.read(json)).isEqualTo(snapshot);
        assertThat(json.get("gpus").get(1).has("power_milliwatts")).isFalse();
        assertThat(json.has("cuda_driver_version")).isFalse();
    }

    @Test
    void aMissingRequiredFieldIsNamed() {
        ObjectNode json = oneGpu();
        ((ObjectNode) json.get("gpus").get(0)).remove("uuid");

        assertThatThrownBy(() -> GpuSnapshotJson.read(json))
                .isInstanceOf(AxleException.class)
                .hasMessage("GPU snapshot: 'uuid' is missing");
    }

    @Test
    void aMistypedFieldIsNamed() {
        ObjectNode json = oneGpu();
        ((ObjectNode) json.get("gpus").get(0)).put("memory_total_bytes", "80 GB");

        assertThatThrownBy(() -> GpuSnapshotJson.read(json))
                .isInstanceOf(AxleException.class)
                .hasMessage("GPU snapshot: 'memory_total_bytes' must be a whole number");
    }

    @Test
    void gpusThatAreNotAListAreNamed() {
        ObjectNode json = oneGpu();
        json.put("gpus", "none");

        assertThatThrownBy(() -> GpuSnapshotJson.read(json))
                .isInstanceOf(AxleException.class)
                .hasMessage("GPU snapshot: 'gpus' must be a list");
    }

    @Test
    void aBadFileIsReportedWithItsNameAndTheField() throws IOException {
        Path file = Files.writeString(
                dir.resolve("gpus.json"), oneGpu().put("taken_at", "yesterday").toString());
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"gpus\": [");

        assertThatThrownBy(() -> GpuSources.snapshotFile(file).snapshot())
                .isInstanceOf(AxleException.class)
                .hasMessage("GPU snapshot: 'taken_at' is not an ISO-8601 instant: yesterday");
        assertThatThrownBy(() -> GpuSources.snapshotFile(broken).snapshot())
                .isInstanceOf(AxleException.class)
                .hasMessageStartingWith("GPU snapshot file " + broken + " is not valid JSON");
        assertThatThrownBy(() ->
                        GpuSources.snapshotFile(dir.resolve("absent.json")).snapshot())
                .isInstanceOf(AxleException.class)
                .hasMessage("GPU snapshot file " + dir.resolve("absent.json") + " does not exist");
    }

    @Test
    void aRecordedFileIsReadBackAsASnapshotSource() throws IOException {
        Path file = Files.writeString(dir.resolve("gpus.json"), oneGpu().toString());

        GpuSnapshot snapshot = GpuSources.snapshotFile(file).snapshot();

        assertThat(snapshot.source()).isEqualTo("snapshot");
        assertThat(snapshot.gpu("GPU-1")).map(Gpu::memoryTotalBytes).contains(80L);
    }

    private static ObjectNode oneGpu() {
        return GpuSnapshotJson.write(new GpuSnapshot(
                "node-1",
                "nvml",
                Instant.parse("2026-11-29T00:00:00Z"),
                Optional.empty(),
                Optional.empty(),
                List.of(Gpu.basic(0, "GPU-1", "NVIDIA H100", "00000000:01:00.0", 80L, 0L, 80L))));
    }
}
