package io.axle.gpu;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * GPUs read by running {@code nvidia-smi --query-gpu=... --format=csv,noheader,nounits}: the fallback where NVML
 * cannot be loaded into this process but the tool works (a container with only the binary mounted, say). It
 * knows less than NVML: no MIG devices, no energy, no CUDA version. Each snapshot runs the tool afresh, so the
 * source is thread-safe.
 */
public final class NvidiaSmiSource implements GpuSource {
    private static final List<String> GPU_FIELDS = List.of(
            "index",
            "uuid",
            "name",
            "pci.bus_id",
            "memory.total",
            "memory.used",
            "memory.free",
            "memory.reserved",
            "utilization.gpu",
            "utilization.memory",
            "temperature.gpu",
            "power.draw",
            "clocks.sm",
            "clocks.mem",
            "driver_version");
    private static final String RESERVED = "memory.reserved";
    private static final long MIB = 1024L * 1024L;
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final String executable;
    private final Duration timeout;
    private final String hostname;
    // Drivers before R510 reject memory.reserved; once seen, it is not asked for again.
    private volatile boolean askForReserved = true;

    /** {@code nvidia-smi} as found on {@code PATH}. */
    public NvidiaSmiSource() {
        this("nvidia-smi");
    }

    /** {@code executable}: {@code nvidia-smi} (found on {@code PATH}) or a path to it. */
    public NvidiaSmiSource(String executable) {
        this(executable, DEFAULT_TIMEOUT);
    }

    NvidiaSmiSource(String executable, Duration timeout) {
        this.executable = requireNonNull(executable, "executable is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
        this.hostname = LocalHost.name();
    }

    /** A source whose tool has answered once, so that a caller can fall back to something else when it does not. */
    public static NvidiaSmiSource open(String executable) {
        NvidiaSmiSource source = new NvidiaSmiSource(executable);
        source.snapshot();
        return source;
    }

    @Override
    public GpuSnapshot snapshot() {
        Instant takenAt = Instant.now();
        List<String> fields = askForReserved
                ? GPU_FIELDS
                : GPU_FIELDS.stream().filter(field -> !field.equals(RESERVED)).toList();
        Result result = run("--query-gpu=" + String.join(",", fields));
        if (result.exitCode() != 0 && askForReserved && result.output().contains(RESERVED)) {
            askForReserved = false;
            return snapshot();
        }
        if (result.exitCode() != 0) {
            throw new GpuUnavailableException(
                    "nvidia-smi failed (exit " + result.exitCode() + "): " + firstLine(result.output()));
        }
        Map<String, List<GpuProcess>> processes = processes();
        List<Gpu> gpus = new ArrayList<>();
        Optional<String> driverVersion = Optional.empty();
        for (String line :
                result.output().lines().filter(line -> !line.isBlank()).toList()) {
            Map<String, String> row = row(fields, line);
            Gpu gpu = gpu(row);
            gpus.add(gpu.withProcesses(processes.getOrDefault(gpu.uuid(), List.of())));
            driverVersion = available(row.get("driver_version"));
        }
        if (gpus.isEmpty()) {
            throw new GpuUnavailableException("no NVIDIA GPU found");
        }
        return new GpuSnapshot(hostname, "nvidia-smi", takenAt, driverVersion, Optional.empty(), gpus);
    }

    private Gpu gpu(Map<String, String> row) {
        String uuid = row.get("uuid");
        return new Gpu(
                integer(row.get("index"))
                        .orElseThrow(() -> new GpuUnavailableException("nvidia-smi gave no index for " + uuid)),
                uuid,
                row.get("name"),
                row.get("pci.bus_id"),
                mebibytes(row, "memory.total", uuid),
                mebibytes(row, "memory.used", uuid),
                mebibytes(row, "memory.free", uuid),
                optionalMebibytes(row.getOrDefault(RESERVED, "")),
                integer(row.get("utilization.gpu")),
                integer(row.get("utilization.memory")),
                integer(row.get("temperature.gpu")),
                milliwatts(row.get("power.draw")),
                OptionalLong.empty(),
                integer(row.get("clocks.sm")),
                integer(row.get("clocks.mem")),
                Optional.empty(),
                List.of(),
                List.of());
    }

    /** Processes by GPU UUID; a tool that cannot list them leaves every GPU without processes. */
    private Map<String, List<GpuProcess>> processes() {
        Result result = run("--query-compute-apps=gpu_uuid,pid,used_memory,process_name");
        Map<String, List<GpuProcess>> byGpu = new HashMap<>();
        if (result.exitCode() != 0) {
            return byGpu;
        }
        for (String line :
                result.output().lines().filter(line -> !line.isBlank()).toList()) {
            String[] cells = line.split(",", 4);
            if (cells.length < 4) {
                continue;
            }
            OptionalLong pid = whole(cells[1].strip());
            if (pid.isEmpty()) {
                continue;
            }
            Optional<String> name = available(cells[3].strip()).map(NvidiaSmiSource::fileName);
            byGpu.computeIfAbsent(cells[0].strip(), uuid -> new ArrayList<>())
                    .add(new GpuProcess(pid.getAsLong(), optionalMebibytes(cells[2]), name, Optional.empty()));
        }
        return byGpu;
    }

    private static Map<String, String> row(List<String> fields, String line) {
        String[] cells = line.split(",", -1);
        if (cells.length != fields.size()) {
            throw new GpuUnavailableException(
                    "nvidia-smi printed " + cells.length + " fields where " + fields.size() + " were asked: " + line);
        }
        Map<String, String> row = new HashMap<>();
        for (int i = 0; i < cells.length; i++) {
            row.put(fields.get(i), cells[i].strip());
        }
        return row;
    }

    private record Result(int exitCode, String output) {}

    private Result run(String query) {
        ProcessBuilder builder =
                new ProcessBuilder(executable, query, "--format=csv,noheader,nounits").redirectErrorStream(true);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new GpuUnavailableException(
                    executable.contains("/") ? executable + " was not found" : executable + " is not on PATH", e);
        }
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // It reads no input; a stdin that cannot be closed changes nothing.
        }
        CompletableFuture<String> output = CompletableFuture.supplyAsync(
                () -> readAll(process.getInputStream()),
                command -> Thread.ofVirtual().start(command));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new GpuUnavailableException(
                        "nvidia-smi did not answer within " + timeout.toSeconds() + " s; is the driver hung?");
            }
            return new Result(process.exitValue(), output.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new GpuUnavailableException("interrupted while waiting for nvidia-smi", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            throw new GpuUnavailableException("nvidia-smi's output could not be read", e);
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String firstLine(String output) {
        return output.lines()
                .filter(line -> !line.isBlank())
                .findFirst()
                .orElse("no output")
                .strip();
    }

    /** {@code [N/A]}, {@code [Not Supported]}, {@code N/A} and the like mean the field is not there. */
    private static Optional<String> available(String cell) {
        if (cell == null) {
            return Optional.empty();
        }
        String value = cell.strip();
        return value.isEmpty() || value.startsWith("[") || value.equalsIgnoreCase("N/A")
                ? Optional.empty()
                : Optional.of(value);
    }

    private static long mebibytes(Map<String, String> row, String field, String uuid) {
        return optionalMebibytes(row.get(field))
                .orElseThrow(() -> new GpuUnavailableException(
                        "nvidia-smi gave no " + field + " for " + uuid + ": " + row.get(field)));
    }

    private static OptionalLong optionalMebibytes(String cell) {
        OptionalLong value = whole(cell);
        return value.isPresent() ? OptionalLong.of(value.getAsLong() * MIB) : OptionalLong.empty();
    }

    private static OptionalLong milliwatts(String cell) {
        Optional<String> value = available(cell);
        try {
            return value.isPresent()
                    ? OptionalLong.of(Math.round(Double.parseDouble(value.get()) * 1000))
                    : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static OptionalInt integer(String cell) {
        OptionalLong value = whole(cell);
        return value.isPresent() ? OptionalInt.of((int) value.getAsLong()) : OptionalInt.empty();
    }

    private static OptionalLong whole(String cell) {
        Optional<String> value = available(cell);
        try {
            return value.isPresent() ? OptionalLong.of(Long.parseLong(value.get())) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
