package io.axle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.gpu.GpuSnapshot;
import io.axle.gpu.GpuSnapshotJson;
import io.axle.gpu.testing.SampleGpuSnapshots;
import io.axle.gpu.testing.StubNvml;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code axle gpu ls, watch, exporter, zabbix} on a recorded snapshot, in process. */
final class GpuCommandsTest {
    private static final String H100 = SampleGpuSnapshots.H100_UUID;
    private static final String A10 = SampleGpuSnapshots.A10_UUID;

    @TempDir
    Path directory;

    private Path snapshot;

    @BeforeEach
    void recordSnapshot() throws IOException {
        snapshot = directory.resolve("node-7.json");
        Files.writeString(
                snapshot, GpuSnapshotJson.write(SampleGpuSnapshots.twoGpus()).toPrettyString());
    }

    @Test
    void lsPrintsTheGpuTableThenTheProcessTable() {
        Result result = axle("gpu", "ls", "--snapshot", snapshot.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo(golden("gpu-ls.txt"));
        assertThat(result.err()).isEmpty();
    }

    @Test
    void lsJsonPrintsTheSnapshotThatSnapshotReadsBack() throws IOException {
        Result result = axle("gpu", "ls", "--json", "--snapshot", snapshot.toString());

        assertThat(result.exitCode()).isZero();
        GpuSnapshot printed = GpuSnapshotJson.read(new ObjectMapper().readTree(result.out()));
        GpuSnapshot recorded = SampleGpuSnapshots.twoGpus();
        assertThat(printed.gpus()).isEqualTo(recorded.gpus());
        assertThat(printed.hostname()).isEqualTo(recorded.hostname());
        assertThat(printed.driverVersion()).isEqualTo(recorded.driverVersion());
    }

    @Test
    void lsWithNoProcessesSaysSo() throws IOException {
        GpuSnapshot idle = new GpuSnapshot(
                "node-8",
                "nvml",
                Instant.EPOCH,
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                SampleGpuSnapshots.twoGpus().gpus().stream()
                        .map(gpu -> gpu.withProcesses(java.util.List.of()))
                        .toList());
        Files.writeString(snapshot, GpuSnapshotJson.write(idle).toString());

        assertThat(axle("gpu", "ls", "--snapshot", snapshot.toString()).out())
                .endsWith("\nNo processes hold GPU memory.\n");
    }

    @Test
    void lsAndPickReadAnNvmlLibraryThroughTheBindingsEndToEnd() {
        Path library = StubNvml.build(directory);

        Result ls = axle("gpu", "ls", "--nvml-library", library.toString());
        Result pick = axle(
                "gpu",
                "pick",
                "--min-free",
                "100GiB",
                "--nvml-library",
                library.toString(),
                "--state-dir",
                directory.resolve("state").toString());

        assertThat(ls.exitCode()).isZero();
        assertThat(ls.out()).contains("GPU-5f2a9c1e-0b7d-4e21-9a3c-1d2e3f405161", "NVIDIA H200", "143771");
        assertThat(pick.exitCode()).isZero();
        assertThat(pick.out()).startsWith("GPU-");
    }

    @Test
    void aLibraryThatFailsToInitialiseIsExitThreeWithOneLine() {
        Path library = StubNvml.build(directory, "STUB_INIT_ERROR=9");

        Result ls = axle("gpu", "ls", "--nvml-library", library.toString());

        assertThat(ls.exitCode()).isEqualTo(3);
        assertThat(ls.err()).startsWith("axle: ").endsWith("\n").doesNotContain("\tat ");
        assertThat(ls.err().lines()).hasSize(1);
    }

    @Test
    void aMissingSnapshotFileIsOneLineNamingTheFile() {
        Path missing = directory.resolve("nope.json");

        Result result = axle("gpu", "ls", "--snapshot", missing.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("axle: GPU snapshot file " + missing + " does not exist\n");
    }

    @Test
    void watchOffATerminalPrintsEachRefreshAfterATimestampLine() {
        Result result = axle("gpu", "watch", "--count", "2", "-n", "0.05", "--snapshot", snapshot.toString());

        assertThat(result.exitCode()).isZero();
        String refresh = "=== 2026-11-28T12:00:00Z node-7 ===\n" + golden("gpu-ls.txt");
        assertThat(result.out()).isEqualTo(refresh + refresh);
    }

    @Test
    void watchRefusesAnIntervalOfZero() {
        Result result = axle("gpu", "watch", "-n", "0", "--count", "1", "--snapshot", snapshot.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("axle: --interval must be more than 0 seconds");
    }

    @Test
    void zabbixDiscoveryPrintsAnArrayOfGpuMacros() {
        Result result = axle("gpu", "zabbix", "discovery", "--snapshot", snapshot.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
                .isEqualTo("[{\"{#UUID}\":\"" + H100 + "\",\"{#NAME}\":\"NVIDIA H100 80GB HBM3\",\"{#INDEX}\":\"0\"},"
                        + "{\"{#UUID}\":\"" + A10 + "\",\"{#NAME}\":\"NVIDIA A10\",\"{#INDEX}\":\"1\"}]\n");
    }

    @Test
    void zabbixGetPrintsOneBareValue() {
        assertThat(axle("gpu", "zabbix", "get", H100, "power", "--snapshot", snapshot.toString()))
                .isEqualTo(new Result(0, "412.345\n", ""));
        assertThat(axle("gpu", "zabbix", "get", A10, "memory.total", "--snapshot", snapshot.toString()))
                .isEqualTo(new Result(0, 23028L * 1024 * 1024 + "\n", ""));
    }

    @Test
    void zabbixGetOfAnUnknownItemListsTheValidItems() {
        Result result = axle("gpu", "zabbix", "get", H100, "fan", "--snapshot", snapshot.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err())
                .startsWith("axle: Unknown Zabbix item 'fan'; valid items: memory.used (bytes), ")
                .contains("clocks.mem (MHz)", "processes (count)");
    }

    @Test
    void zabbixGetOfAnUnknownUuidListsTheGpus() {
        Result result = axle("gpu", "zabbix", "get", "GPU-gone", "temperature", "--snapshot", snapshot.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err())
                .isEqualTo("axle: No GPU with UUID 'GPU-gone' on node-7; GPUs here: " + H100 + ", " + A10 + "\n");
    }

    @Test
    void zabbixGetOfAValueTheGpuDoesNotReportPrintsNothingAndFails() {
        Result result = axle("gpu", "zabbix", "get", A10, "temperature", "--snapshot", snapshot.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("does not report temperature");
    }

    @Test
    void exporterLogsItsUrlAndServesMetricsAndPicksReservationsUntilStopped() throws Exception {
        String state = directory.resolve("state").toString();
        Result pick =
                axle("gpu", "pick", "--min-free", "1GiB", "--snapshot", snapshot.toString(), "--state-dir", state);
        assertThat(pick.exitCode()).isZero();
        String picked = pick.out().strip();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int[] exitCode = {-1};
        Thread exporter = Thread.ofPlatform()
                .start(() -> exitCode[0] = Main.execute(
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        "gpu",
                        "exporter",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        "0",
                        "--snapshot",
                        snapshot.toString(),
                        "--state-dir",
                        state));
        try (HttpClient client = HttpClient.newHttpClient()) {
            URI metrics = awaitUrl(out, err);
            HttpResponse<String> response =
                    client.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body())
                    .contains("# TYPE DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION counter\n")
                    .contains("DCGM_FI_DEV_GPU_UTIL{gpu=\"0\",UUID=\"" + H100 + "\"")
                    .contains("axle_gpu_process_memory_used_bytes{gpu=\"0\",UUID=\"" + H100
                            + "\",pid=\"4242\",process=\"python3\"} " + 11776L * 1024 * 1024 + "\n")
                    .contains("axle_gpu_up 1\n")
                    .containsPattern(
                            "axle_gpu_reserved_bytes\\{gpu=\"\\d\",UUID=\"" + picked + "\",owner=\"[^\"]+\"} \\d+\n");
        } finally {
            exporter.interrupt();
            exporter.join(Duration.ofSeconds(10));
        }
        assertThat(exporter.isAlive()).isFalse();
        assertThat(exitCode[0]).isZero();
    }

    @Test
    void exporterRefusesAPortOutOfRange() {
        Result result = axle("gpu", "exporter", "--port", "70000", "--snapshot", snapshot.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("axle: Exporter port must be 0..65535, not 70000\n");
    }

    private static URI awaitUrl(StringWriter out, StringWriter err) throws InterruptedException {
        Pattern url = Pattern.compile("serving GPU metrics at (http://\\S+/metrics)");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher matcher = url.matcher(out.toString());
            if (matcher.find()) {
                return URI.create(matcher.group(1));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the exporter did not log its URL; out: " + out + " err: " + err);
    }

    private static String golden(String name) {
        try (InputStream in = GpuCommandsTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Result axle(String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), arguments);
        return new Result(exitCode, out.toString(), err.toString());
    }

    private record Result(int exitCode, String out, String err) {}
}
