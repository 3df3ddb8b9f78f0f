package io.axle.cli.gpu;

import io.axle.gpu.Gpu;
import io.axle.gpu.GpuSnapshot;
import io.axle.gpu.GpuSource;
import io.axle.gpu.placement.ByteSize;
import io.axle.gpu.placement.GpuCapacity;
import io.axle.gpu.placement.NothingFitsException;
import io.axle.gpu.placement.Placement;
import io.axle.gpu.placement.PlacementPolicy;
import io.axle.gpu.placement.Placer;
import io.axle.gpu.reservation.Reservation;
import io.axle.gpu.reservation.ReservationLedger;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code axle gpu pick}: prints the GPUs for {@code CUDA_VISIBLE_DEVICES} and reserves their memory for a while, so
 * that two jobs started at once on one host do not both take the same free memory.
 */
@Command(
        name = "pick",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Picks GPUs with enough free memory and prints them, comma-separated, for CUDA_VISIBLE_DEVICES:",
            "  CUDA_VISIBLE_DEVICES=$(axle gpu pick --min-free 6GiB) python train.py",
            "The memory asked for is reserved on each GPU picked (a lock file and a reservation file under "
                    + "--state-dir) until --ttl runs out, by which time the job has allocated and NVML shows it: "
                    + "jobs started at once never count the same free memory twice. Free memory = NVML's live free "
                    + "memory - active reservations - headroom.",
            "Exit codes: 0 picked, 2 bad arguments, 3 no GPU can be read, 4 nothing fits (the reason on stderr)."
        })
public final class GpuPickCommand implements Callable<Integer> {
    enum Format {
        INDEX,
        UUID
    }

    @Mixin
    GpuSourceOptions source;

    @Option(
            names = "--min-free",
            paramLabel = "SIZE",
            defaultValue = "0",
            converter = GpuOptionConverters.Size.class,
            description =
                    "Free memory each GPU must have, e.g. 6GiB, 512MiB, 6G (10^9 bytes) (default: ${DEFAULT-VALUE}).")
    ByteSize minFree;

    @Option(
            names = "--count",
            paramLabel = "N",
            defaultValue = "1",
            description = "How many distinct GPUs (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(
            names = "--policy",
            paramLabel = "POLICY",
            defaultValue = "least-loaded",
            converter = GpuOptionConverters.Policy.class,
            description = "least-loaded (lowest utilization, then fewest reservations, then most free), most-free, or "
                    + "best-fit (least free memory that fits: keeps whole GPUs for large jobs) (default: "
                    + "${DEFAULT-VALUE}).")
    PlacementPolicy policy;

    @Option(
            names = "--format",
            paramLabel = "uuid|index",
            defaultValue = "uuid",
            converter = FormatConverter.class,
            description = "uuid (GPU-..., which CUDA_VISIBLE_DEVICES accepts and which survives reordering) or index "
                    + "(the CUDA device number under CUDA_DEVICE_ORDER=PCI_BUS_ID) (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            defaultValue = "${env:AXLE_GPU_STATE_DIR:-/var/tmp/axle-gpu}",
            description = "Where reservations are kept, shared by everyone picking on this host (AXLE_GPU_STATE_DIR; "
                    + "default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(
            names = "--ttl",
            paramLabel = "DURATION",
            defaultValue = "2m",
            converter = GpuOptionConverters.Ttl.class,
            description = "How long the reservation holds: long enough for the job to allocate, e.g. 90s, 5m "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration ttl;

    @Option(
            names = "--headroom",
            paramLabel = "SIZE",
            defaultValue = "512MiB",
            converter = GpuOptionConverters.Size.class,
            description = "Kept free on each GPU beyond --min-free, for the CUDA context and the allocator's growth "
                    + "(default: ${DEFAULT-VALUE}).")
    ByteSize headroom;

    @Option(names = "--no-reserve", description = "Pick without reserving (others' reservations still count).")
    boolean noReserve;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (count < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--count must be at least 1, not " + count);
        }
        GpuSnapshot snapshot;
        try (GpuSource gpus = source.open()) {
            snapshot = gpus.snapshot();
        }
        Placer placer = new Placer(headroom.bytes());
        ReservationLedger ledger = ReservationLedger.open(stateDir);
        List<Gpu> picked;
        try {
            if (noReserve) {
                picked = placer.pick(snapshot, asPlacements(ledger.active()), minFree.bytes(), count, policy).stream()
                        .map(GpuCapacity::gpu)
                        .toList();
            } else {
                List<Reservation> made = ledger.reserve(
                        ttl,
                        owner(),
                        parentCommand(),
                        active -> placer.pick(snapshot, asPlacements(active), minFree.bytes(), count, policy).stream()
                                .map(capacity ->
                                        new Reservation.Claim(capacity.gpu().uuid(), minFree.bytes()))
                                .toList());
                picked = made.stream()
                        .map(reservation -> snapshot.gpu(reservation.gpuUuid()).orElseThrow())
                        .toList();
            }
        } catch (NothingFitsException e) {
            spec.commandLine().getErr().println("axle: " + e.getMessage());
            return GpuCommand.NOTHING_FITS;
        }
        spec.commandLine().getOut().println(render(snapshot, picked));
        return 0;
    }

    private String render(GpuSnapshot snapshot, List<Gpu> picked) {
        return switch (format) {
            case UUID -> picked.stream().map(Gpu::uuid).collect(Collectors.joining(","));
            case INDEX -> {
                PrintWriter err = spec.commandLine().getErr();
                if (!"PCI_BUS_ID".equals(System.getenv("CUDA_DEVICE_ORDER"))) {
                    err.println("axle: note: these indexes are CUDA's under CUDA_DEVICE_ORDER=PCI_BUS_ID; set it "
                            + "(CUDA's default order, fastest first, may differ) or use --format uuid");
                }
                List<Gpu> byBus = snapshot.gpus().stream()
                        .sorted(Comparator.comparing((Gpu gpu) -> busKey(gpu.pciBusId()))
                                .thenComparingInt(Gpu::index))
                        .toList();
                yield picked.stream()
                        .map(gpu -> String.valueOf(byBus.indexOf(gpu)))
                        .collect(Collectors.joining(","));
            }
        };
    }

    /** {@code 00000000:3B:00.0} and {@code 0000:3b:00.0} name the same bus; compare them as numbers. */
    static String busKey(String pciBusId) {
        String[] parts = pciBusId.split("[:.]");
        StringBuilder key = new StringBuilder();
        for (String part : parts) {
            try {
                key.append(String.format("%016x", Long.parseLong(part, 16)));
            } catch (NumberFormatException e) {
                key.append(part);
            }
        }
        return key.toString();
    }

    private static List<Placement> asPlacements(List<Reservation> reservations) {
        return reservations.stream()
                .map(reservation -> new Placement(reservation.command(), reservation.gpuUuid(), reservation.bytes()))
                .toList();
    }

    private static String owner() {
        return System.getProperty("user.name", "unknown");
    }

    /** The shell or script that ran {@code axle gpu pick}: what the reservation is for. */
    private static String parentCommand() {
        return ProcessHandle.current()
                .parent()
                .flatMap(parent -> parent.info().commandLine())
                .orElse("unknown");
    }

    static final class FormatConverter implements CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            return switch (value) {
                case "uuid" -> Format.UUID;
                case "index" -> Format.INDEX;
                default ->
                    throw new CommandLine.TypeConversionException("'" + value + "' is not a format: use uuid or index");
            };
        }
    }
}
