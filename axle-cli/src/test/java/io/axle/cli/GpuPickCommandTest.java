package io.axle.cli;

import static io.axle.gpu.placement.RecordedSnapshots.GPU0;
import static io.axle.gpu.placement.RecordedSnapshots.GPU2;
import static io.axle.gpu.placement.RecordedSnapshots.GPU3;
import static org.assertj.core.api.Assertions.assertThat;

import io.axle.cli.AxleProcess.Result;
import io.axle.gpu.placement.RecordedSnapshots;
import io.axle.gpu.reservation.Reservation;
import io.axle.gpu.reservation.ReservationLedger;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code axle gpu pick} on a recorded snapshot of four 80 GiB GPUs with 68, 10, 79 and 40 GiB free (90, 10, 0 and 50 %
 * busy); 512 MiB headroom comes off each.
 */
final class GpuPickCommandTest {
    @TempDir
    Path directory;

    private Path snapshot;
    private Path stateDir;

    @BeforeEach
    void recordSnapshot() throws IOException {
        snapshot = directory.resolve("node-1.json");
        try (InputStream in = RecordedSnapshots.class.getResourceAsStream(RecordedSnapshots.FOUR_H100)) {
            Files.copy(in, snapshot);
        }
        stateDir = directory.resolve("state");
    }

    private Result pick(String... arguments) {
        List<String> command = new ArrayList<>(
                List.of("gpu", "pick", "--snapshot", snapshot.toString(), "--state-dir", stateDir.toString()));
        command.addAll(Arrays.asList(arguments));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode =
                Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), command.toArray(String[]::new));
        return new Result(exitCode, out.toString(), err.toString());
    }

    @Test
    void printsTheIdlestGpusUuidAloneOnStdout() {
        Result result = pick();

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo(GPU2 + System.lineSeparator());
        assertThat(result.err()).isEmpty();
    }

    @Test
    void severalGpusAreCommaSeparatedInThePolicysOrder() {
        assertThat(pick("--count", "2", "--policy", "most-free", "--no-reserve")
                        .out()
                        .strip())
                .isEqualTo(GPU2 + "," + GPU0);
        assertThat(pick("--min-free", "30GiB", "--policy", "best-fit", "--no-reserve")
                        .out()
                        .strip())
                .isEqualTo(GPU3);
    }

    @Test
    void indexFormatIsTheRankOfThePciBusIdWithANoteAboutTheDeviceOrder() {
        // PCI order 3B, 5E, 86, B1: GPU 2 (bus 5E) is CUDA device 1 under CUDA_DEVICE_ORDER=PCI_BUS_ID
        Result result = pick("--format", "index", "--count", "2", "--policy", "most-free");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out().strip()).isEqualTo("1,3");
        if (!"PCI_BUS_ID".equals(System.getenv("CUDA_DEVICE_ORDER"))) {
            assertThat(result.err()).startsWith("axle: note: ").contains("CUDA_DEVICE_ORDER=PCI_BUS_ID");
            assertThat(result.err().lines()).hasSize(1);
        }
    }

    @Test
    void eachPickReservesItsMemorySoTheNextOneGoesElsewhereUntilNothingFits() {
        assertThat(pick("--min-free", "60GiB").out().strip()).isEqualTo(GPU2);
        assertThat(pick("--min-free", "60GiB").out().strip()).isEqualTo(GPU0);

        Result third = pick("--min-free", "60GiB");

        assertThat(third.exitCode()).isEqualTo(4);
        assertThat(third.out()).isEmpty();
        assertThat(third.err().lines()).hasSize(1);
        assertThat(third.err())
                .startsWith("axle: Nothing fits: asked for a GPU with 60.0 GiB free, 0 of 4 GPU(s) have it")
                .contains("GPU-2c3d4e5f (index 2) free 18.5 GiB = NVML live 79.0 GiB − 60.0 GiB reserved − headroom"
                        + " 512.0 MiB")
                .contains("GPU-1b2c3d4e (index 1) free 9.5 GiB");
        assertThat(ReservationLedger.open(stateDir).active())
                .extracting(Reservation::gpuUuid)
                .containsExactly(GPU2, GPU0);
    }

    @Test
    void aReservationLapsesAfterItsTtl() throws InterruptedException {
        assertThat(pick("--min-free", "60GiB", "--ttl", "300ms").out().strip()).isEqualTo(GPU2);
        assertThat(pick("--min-free", "60GiB", "--ttl", "300ms").out().strip()).isEqualTo(GPU0);
        Thread.sleep(400);

        assertThat(pick("--min-free", "60GiB").out().strip()).isEqualTo(GPU2);
    }

    @Test
    void noReservePicksWithoutHoldingMemory() {
        assertThat(pick("--min-free", "60GiB", "--no-reserve").out().strip()).isEqualTo(GPU2);
        assertThat(pick("--min-free", "60GiB", "--no-reserve").out().strip()).isEqualTo(GPU2);
        assertThat(ReservationLedger.open(stateDir).active()).isEmpty();
    }

    @Test
    void picksStartedAtOnceInThreadsNeverReserveTheSameMemoryTwice() throws Exception {
        // 30 GiB fits twice on GPU 0 (67.5 GiB), twice on GPU 2 (78.5) and once on GPU 3 (39.5): five of eight win
        List<Result> results = concurrently(8, ignored -> pick("--min-free", "30GiB"));

        assertThat(results).filteredOn(result -> result.exitCode() == 0).hasSize(5);
        assertThat(results).filteredOn(result -> result.exitCode() == 4).hasSize(3);
        Map<String, Long> perGpu = results.stream()
                .filter(result -> result.exitCode() == 0)
                .collect(Collectors.groupingBy(result -> result.out().strip(), Collectors.counting()));
        assertThat(perGpu).containsExactlyInAnyOrderEntriesOf(Map.of(GPU0, 2L, GPU2, 2L, GPU3, 1L));
    }

    @Test
    void picksStartedAtOnceInTwoProcessesTakeDifferentGpus() throws Exception {
        List<Result> results = concurrently(
                2,
                ignored -> AxleProcess.run(
                        directory,
                        Map.of(),
                        "gpu",
                        "pick",
                        "--snapshot",
                        snapshot.toString(),
                        "--state-dir",
                        stateDir.toString(),
                        "--min-free",
                        "60GiB"));

        assertThat(results).extracting(Result::exitCode).containsExactly(0, 0);
        assertThat(results).extracting(result -> result.out().strip()).containsExactlyInAnyOrder(GPU2, GPU0);
    }

    @Test
    void aSizeThatCannotBeReadIsAUsageErrorNamingTheOption() {
        Result result = pick("--min-free", "6XB");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().lines()).hasSize(1);
        assertThat(result.err()).contains("--min-free").contains("unknown unit 'XB'");
    }

    @Test
    void anUnknownPolicyOrFormatOrCountIsAUsageError() {
        assertThat(pick("--policy", "random").err()).contains("least-loaded, most-free, best-fit");
        assertThat(pick("--format", "name").exitCode()).isEqualTo(2);
        assertThat(pick("--count", "0").exitCode()).isEqualTo(2);
        assertThat(pick("--ttl", "soon").err()).contains("is not a duration");
    }

    @Test
    void aDamagedReservationFileIsOneLineNamingIt() throws IOException {
        Files.createDirectories(stateDir);
        Files.writeString(stateDir.resolve("reservations.json"), "{not json");

        Result result = pick();

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().lines()).hasSize(1);
        assertThat(result.err()).contains("reservations.json is damaged").contains("delete it");
    }

    @Test
    void helpExplainsTheOptionsAndTheExitCodes() {
        Result result = pick("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
                .contains("CUDA_VISIBLE_DEVICES=$(axle gpu pick --min-free 6GiB) python train.py")
                .contains("--min-free", "--count", "--policy", "--format", "--state-dir", "--ttl", "--headroom")
                .contains("--no-reserve", "--snapshot", "4 nothing fits");
    }

    private static <T> List<T> concurrently(int count, Function<Integer, T> task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(count)) {
            for (int i = 0; i < count; i++) {
                int number = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.apply(number);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }
}
