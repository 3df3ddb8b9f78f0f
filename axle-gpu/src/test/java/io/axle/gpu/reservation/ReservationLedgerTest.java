package io.axle.gpu.reservation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.common.AxleException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ReservationLedgerTest {
    @TempDir
    Path stateDir;

    /** A clock the test moves by hand. */
    static final class SettableClock extends Clock {
        private Instant now = Instant.parse("2026-11-28T10:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void aReservationIsActiveUntilItsTtlRunsOut() {
        SettableClock clock = new SettableClock();
        ReservationLedger ledger = ReservationLedger.open(stateDir, clock);

        List<Reservation> made = ledger.reserve(
                Duration.ofMinutes(2),
                "alice",
                "python train.py",
                active -> List.of(new Reservation.Claim("GPU-a", 42)));

        assertThat(made).singleElement().satisfies(reservation -> {
            assertThat(reservation.gpuUuid()).isEqualTo("GPU-a");
            assertThat(reservation.bytes()).isEqualTo(42);
            assertThat(reservation.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(reservation.owner()).isEqualTo("alice");
            assertThat(reservation.expires()).isEqualTo(reservation.created().plus(Duration.ofMinutes(2)));
        });
        clock.advance(Duration.ofSeconds(119));
        assertThat(ReservationLedger.open(stateDir, clock).active()).isEqualTo(made);
        clock.advance(Duration.ofSeconds(1));
        assertThat(ReservationLedger.open(stateDir, clock).active()).isEmpty();
    }

    @Test
    void expiredReservationsAreDroppedFromTheFileAtTheNextReservation() throws IOException {
        SettableClock clock = new SettableClock();
        ReservationLedger ledger = ReservationLedger.open(stateDir, clock);
        ledger.reserve(Duration.ofMinutes(1), "a", "x", active -> List.of(new Reservation.Claim("GPU-a", 1)));
        clock.advance(Duration.ofMinutes(5));

        ledger.reserve(Duration.ofMinutes(1), "b", "y", active -> {
            assertThat(active).isEmpty();
            return List.of(new Reservation.Claim("GPU-b", 2));
        });

        assertThat(Files.readString(stateDir.resolve("reservations.json")))
                .contains("GPU-b")
                .doesNotContain("GPU-a");
        try (var files = Files.list(stateDir)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("reservations.json", "reservations.lock");
        }
    }

    @Test
    void concurrentReservationsSeeEachOtherAndNeverClaimTheSameMemoryTwice() throws Exception {
        // eight pickers race for one GPU with 4 units free, each wanting 1: exactly four win
        int pickers = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Reservation>>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(pickers)) {
            for (int i = 0; i < pickers; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return ReservationLedger.open(stateDir).reserve(Duration.ofMinutes(2), "t", "test", active -> {
                        long reserved =
                                active.stream().mapToLong(Reservation::bytes).sum();
                        Thread.yield();
                        return reserved + 1 <= 4 ? List.of(new Reservation.Claim("GPU-a", 1)) : List.of();
                    });
                }));
            }
            start.countDown();
            long won = 0;
            for (Future<List<Reservation>> result : results) {
                won += result.get().size();
            }
            assertThat(won).isEqualTo(4);
        }
        assertThat(ReservationLedger.open(stateDir).active()).hasSize(4);
    }

    @Test
    void aChooserThatThrowsRecordsNothing() {
        ReservationLedger ledger = ReservationLedger.open(stateDir);

        assertThatThrownBy(() -> ledger.reserve(Duration.ofMinutes(1), "a", "x", active -> {
                    throw AxleException.invalidParameter("nothing fits");
                }))
                .hasMessage("nothing fits");
        assertThat(ledger.active()).isEmpty();
    }

    @Test
    void aDamagedFileIsNamedWithTheFixNotAStackTrace() throws IOException {
        Files.writeString(stateDir.resolve("reservations.json"), "{\"reservations\": [ {\"id\": ");

        assertThatThrownBy(() -> ReservationLedger.open(stateDir).active())
                .isInstanceOf(AxleException.class)
                .hasMessageContaining(stateDir.resolve("reservations.json").toString())
                .hasMessageContaining("is damaged (it is not valid JSON")
                .hasMessageContaining("delete it");
    }

    @Test
    void aReservationWithAMissingFieldIsReportedAsDamage() throws IOException {
        Files.writeString(stateDir.resolve("reservations.json"), "{\"reservations\": [{\"id\": \"x\"}]}");

        assertThatThrownBy(() -> ReservationLedger.open(stateDir).active())
                .hasMessageContaining("is damaged (a reservation has no text 'gpu_uuid')");
    }

    @Test
    void theStateDirectoryItCreatesIsOpenToEveryUserOnTheHost() throws IOException {
        Path shared = stateDir.resolve("axle-gpu");

        ReservationLedger.open(shared).reserve(Duration.ofMinutes(1), "a", "x", active -> List.of());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)))
                .isEqualTo("rwxrwxrwx");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared.resolve("reservations.lock"))))
                .isEqualTo("rw-rw-rw-");
    }

    @Test
    void aNonPositiveTtlIsRefused() {
        assertThatThrownBy(() -> ReservationLedger.open(stateDir).reserve(Duration.ZERO, "a", "x", active -> List.of()))
                .hasMessageContaining("TTL must be positive");
    }
}
