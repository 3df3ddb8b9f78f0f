package io.axle.gpu.reservation;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Node-local reservations of GPU memory, shared by every process on the host through files in a state directory:
 * {@code reservations.lock}, locked with {@link FileChannel#lock()} around every read-modify-write, and
 * {@code reservations.json}, replaced whole (written beside it, then renamed) so a crash never leaves half a file.
 * Two {@code axle gpu pick} started at once therefore never count the same free memory twice. A reservation lasts
 * its TTL: long enough for the process it was taken for to allocate, after which NVML's used memory shows it.
 */
public final class ReservationLedger {
    /** Where {@code axle gpu pick} keeps its reservations unless told otherwise: survives reboots' tmp cleaning. */
    public static final Path DEFAULT_STATE_DIR = Path.of("/var/tmp/axle-gpu");

    /** Two minutes: a training script imports its framework and allocates well within it. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(2);

    // A JVM holds file locks per process, not per thread (a second lock() throws), so threads also queue here.
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path stateDir;
    private final Path file;
    private final Path lockFile;
    private final Clock clock;

    private ReservationLedger(Path stateDir, Clock clock) {
        this.stateDir = stateDir;
        this.file = stateDir.resolve("reservations.json");
        this.lockFile = stateDir.resolve("reservations.lock");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public static ReservationLedger open(Path stateDir) {
        return open(stateDir, Clock.systemUTC());
    }

    public static ReservationLedger open(Path stateDir, Clock clock) {
        return new ReservationLedger(
                requireNonNull(stateDir, "stateDir is null").toAbsolutePath(), clock);
    }

    public Path stateDir() {
        return stateDir;
    }

    /** The reservations not yet expired, oldest first; none when nothing was ever reserved here. */
    public List<Reservation> active() {
        if (!Files.exists(file)) {
            return List.of();
        }
        return locked(() -> read(clock.instant()));
    }

    /**
     * Under the lock: reads the active reservations, lets {@code choose} decide what to claim given them, and
     * records the claims for {@code ttl}. An exception from {@code choose} records nothing.
     *
     * @return the reservations just made
     */
    public List<Reservation> reserve(
            Duration ttl, String owner, String command, Function<List<Reservation>, List<Reservation.Claim>> choose) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw AxleException.invalidParameter("A reservation's TTL must be positive, not " + ttl);
        }
        return locked(() -> {
            Instant now = clock.instant();
            List<Reservation> active = read(now);
            List<Reservation> made = new ArrayList<>();
            for (Reservation.Claim claim : choose.apply(active)) {
                made.add(new Reservation(
                        UUID.randomUUID().toString().substring(0, 8),
                        claim.gpuUuid(),
                        claim.bytes(),
                        ProcessHandle.current().pid(),
                        owner,
                        command,
                        now,
                        now.plus(ttl)));
            }
            List<Reservation> all = new ArrayList<>(active);
            all.addAll(made);
            write(all);
            return made;
        });
    }

    private interface Action<T> {
        T run() throws IOException;
    }

    private <T> T locked(Action<T> action) {
        ReentrantLock inProcess = IN_PROCESS.computeIfAbsent(lockFile, path -> new ReentrantLock());
        inProcess.lock();
        try {
            createShared();
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                return action.run();
            }
        } catch (AccessDeniedException e) {
            throw new AxleException(
                    ErrorCode.PERMISSION_DENIED,
                    "Cannot write GPU reservations in " + stateDir + " (permission denied on " + e.getFile()
                            + "): give --state-dir a directory you can write, or make " + stateDir
                            + " writable by every user who picks GPUs (chmod 1777)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            inProcess.unlock();
        }
    }

    /**
     * Everyone who picks GPUs on the host shares the directory, so whoever creates it opens it to all (as /var/tmp
     * is); a file system without POSIX permissions keeps its own.
     */
    private void createShared() throws IOException {
        if (!Files.isDirectory(stateDir)) {
            Files.createDirectories(stateDir);
            sharePermissions(stateDir, "rwxrwxrwx");
        }
        if (!Files.exists(lockFile)) {
            try {
                Files.createFile(lockFile);
                sharePermissions(lockFile, "rw-rw-rw-");
            } catch (FileAlreadyExistsException e) {
                // another process created it first
            }
        }
    }

    private static void sharePermissions(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }

    private List<Reservation> read(Instant now) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<Reservation> active = new ArrayList<>();
        try {
            JsonNode reservations = MAPPER.readTree(text).path("reservations");
            if (!reservations.isArray()) {
                throw corrupt("it has no 'reservations' list");
            }
            for (JsonNode node : reservations) {
                Reservation reservation = new Reservation(
                        text(node, "id"),
                        text(node, "gpu_uuid"),
                        number(node, "bytes"),
                        number(node, "pid"),
                        text(node, "owner"),
                        text(node, "command"),
                        Instant.parse(text(node, "created")),
                        Instant.parse(text(node, "expires")));
                if (reservation.activeAt(now)) {
                    active.add(reservation);
                }
            }
        } catch (JacksonException e) {
            throw corrupt("it is not valid JSON: " + e.getOriginalMessage());
        } catch (DateTimeParseException e) {
            throw corrupt("'" + e.getParsedString() + "' is not an ISO-8601 instant");
        } catch (IllegalArgumentException e) {
            throw corrupt(e.getMessage());
        }
        return active;
    }

    private AxleException corrupt(String why) {
        return new AxleException(
                ErrorCode.INVALID_STATE,
                "GPU reservation file " + file + " is damaged (" + why + "): delete it; it only holds reservations"
                        + " of the last few minutes, and NVML's used memory shows what they were for");
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("a reservation has no text '" + key + "'");
        }
        return value.asText();
    }

    private static long number(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || !value.isIntegralNumber()) {
            throw new IllegalArgumentException("a reservation has no whole number '" + key + "'");
        }
        return value.asLong();
    }

    private void write(List<Reservation> reservations) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode array = root.putArray("reservations");
        for (Reservation reservation : reservations) {
            array.addObject()
                    .put("id", reservation.id())
                    .put("gpu_uuid", reservation.gpuUuid())
                    .put("bytes", reservation.bytes())
                    .put("pid", reservation.pid())
                    .put("owner", reservation.owner())
                    .put("command", reservation.command())
                    .put("created", reservation.created().toString())
                    .put("expires", reservation.expires().toString());
        }
        Path temporary =
                stateDir.resolve("reservations.json." + ProcessHandle.current().pid() + ".tmp");
        Files.writeString(temporary, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
