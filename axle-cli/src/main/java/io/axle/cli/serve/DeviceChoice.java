package io.axle.cli.serve;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.gpu.Gpu;
import io.axle.gpu.GpuSnapshot;
import io.axle.gpu.GpuUnavailableException;
import io.axle.serving.Device;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Turns {@code --device} into the device a model loads on, saying in the log which GPU and why. */
final class DeviceChoice {
    private DeviceChoice() {}

    /** The device, and the GPU behind it when it is one this host can read (for measuring its memory). */
    record Placement(Device device, Optional<Gpu> gpu) {
        Placement {
            requireNonNull(device, "device is null");
            requireNonNull(gpu, "gpu is null");
        }

        static Placement cpu() {
            return new Placement(Device.cpu(), Optional.empty());
        }

        /** {@code cpu}, or {@code cuda:1 (GPU-...)}: for the line that says where the model is served. */
        String shortName() {
            return device.cuda()
                    ? "cuda:" + device.cudaIndex()
                            + gpu.map(chosen -> " (" + chosen.uuid() + ")").orElse("")
                    : "cpu";
        }
    }

    /**
     * @param gpus reads this host's GPUs; throws {@link GpuUnavailableException} where there are none to read
     * @param reservedBytes GPU memory already promised to others on this node but not yet in use, by GPU UUID
     * @param environment for {@code CUDA_DEVICE_ORDER} and {@code CUDA_VISIBLE_DEVICES}
     */
    static Placement choose(
            DeviceRequest request,
            Supplier<GpuSnapshot> gpus,
            Footprint footprint,
            Map<String, Long> reservedBytes,
            Map<String, String> environment,
            Consumer<String> log) {
        return switch (request) {
            case DeviceRequest.Cpu cpu -> Placement.cpu();
            case DeviceRequest.CudaIndex cuda -> {
                Optional<Gpu> gpu = readQuietly(gpus).flatMap(snapshot -> byCudaIndex(snapshot, cuda.index()));
                yield new Placement(Device.cuda(cuda.index(), "cuda:" + cuda.index() + ", as --device asked"), gpu);
            }
            case DeviceRequest.GpuUuid uuid -> explicit(uuid.uuid(), gpus.get(), environment, log);
            case DeviceRequest.Auto auto -> auto(gpus, footprint, reservedBytes, environment, log);
        };
    }

    /**
     * The GPU to put {@code bytes} on: among those whose free memory less what is reserved covers it, the one that
     * leaves least over (best fit keeps the big GPUs free for big models); ties go to the lower PCI bus id. GPUs in
     * MIG mode are skipped: a whole-GPU CUDA device cannot be opened on them. The one seam where a node-wide placement
     * library can take over.
     */
    static Optional<Gpu> bestFit(List<Gpu> gpus, long bytes, Map<String, Long> reservedBytes) {
        return gpus.stream()
                .filter(gpu -> !gpu.migEnabled().orElse(false))
                .filter(gpu -> available(gpu, reservedBytes) >= bytes)
                .min(Comparator.<Gpu>comparingLong(gpu -> available(gpu, reservedBytes) - bytes)
                        .thenComparing(Gpu::pciBusId, String.CASE_INSENSITIVE_ORDER));
    }

    /**
     * The CUDA runtime's number of the GPU with {@code uuid}: its rank among all GPUs' PCI bus ids, which is the CUDA
     * order under {@code CUDA_DEVICE_ORDER=PCI_BUS_ID}.
     */
    static int cudaIndex(GpuSnapshot snapshot, String uuid) {
        List<Gpu> ordered = inPciOrder(snapshot);
        for (int rank = 0; rank < ordered.size(); rank++) {
            if (ordered.get(rank).uuid().equalsIgnoreCase(uuid)) {
                return rank;
            }
        }
        throw AxleException.invalidParameter("--device " + uuid + " is not a GPU of this host; it has "
                + snapshot.gpus().stream().map(Gpu::uuid).collect(Collectors.joining(", ")) + " ('axle gpu ls')");
    }

    private static Placement explicit(
            String uuid, GpuSnapshot snapshot, Map<String, String> environment, Consumer<String> log) {
        int index = cudaIndex(snapshot, uuid);
        Gpu gpu = snapshot.gpus().stream()
                .filter(candidate -> candidate.uuid().equalsIgnoreCase(uuid))
                .findFirst()
                .orElseThrow();
        warnAboutOrder(snapshot, environment, log);
        String why = uuid + " (" + gpu.name() + ", PCI " + gpu.pciBusId() + ") is CUDA device " + index
                + " by PCI bus order, as --device asked";
        log.accept("device: " + why);
        return new Placement(Device.cuda(index, why), Optional.of(gpu));
    }

    private static Placement auto(
            Supplier<GpuSnapshot> gpus,
            Footprint footprint,
            Map<String, Long> reservedBytes,
            Map<String, String> environment,
            Consumer<String> log) {
        GpuSnapshot snapshot;
        try {
            snapshot = gpus.get();
        } catch (GpuUnavailableException e) {
            log.accept("device: cpu, because no GPU can be read here (" + e.getMessage() + ")");
            return Placement.cpu();
        }
        if (snapshot.gpus().isEmpty()) {
            log.accept("device: cpu, because " + snapshot.source() + " lists no GPU on " + snapshot.hostname());
            return Placement.cpu();
        }
        Optional<Gpu> chosen = bestFit(snapshot.gpus(), footprint.bytes(), reservedBytes);
        if (chosen.isEmpty()) {
            Gpu roomiest = snapshot.gpus().stream()
                    .max(Comparator.comparingLong(gpu -> available(gpu, reservedBytes)))
                    .orElseThrow();
            log.accept("device: cpu, because no GPU has " + footprint.bytes() + " bytes free for the model ("
                    + footprint.basis() + "); the most is " + available(roomiest, reservedBytes) + " bytes on "
                    + roomiest.uuid());
            return Placement.cpu();
        }
        Gpu gpu = chosen.get();
        int index = cudaIndex(snapshot, gpu.uuid());
        warnAboutOrder(snapshot, environment, log);
        String why = gpu.uuid() + " (" + gpu.name() + ", PCI " + gpu.pciBusId() + ", CUDA device " + index + "): "
                + available(gpu, reservedBytes) + " bytes free" + reservedNote(gpu, reservedBytes) + " for a "
                + footprint.bytes() + "-byte footprint (" + footprint.basis() + "), the best fit of "
                + snapshot.gpus().size() + " GPUs";
        log.accept("device: " + why);
        return new Placement(Device.cuda(index, why), Optional.of(gpu));
    }

    private static long available(Gpu gpu, Map<String, Long> reservedBytes) {
        return gpu.memoryFreeBytes() - reservedBytes.getOrDefault(gpu.uuid(), 0L);
    }

    private static String reservedNote(Gpu gpu, Map<String, Long> reservedBytes) {
        long reserved = reservedBytes.getOrDefault(gpu.uuid(), 0L);
        return reserved == 0 ? "" : " after " + reserved + " bytes reserved";
    }

    private static Optional<Gpu> byCudaIndex(GpuSnapshot snapshot, int index) {
        List<Gpu> ordered = inPciOrder(snapshot);
        return index < ordered.size() ? Optional.of(ordered.get(index)) : Optional.empty();
    }

    private static List<Gpu> inPciOrder(GpuSnapshot snapshot) {
        return snapshot.gpus().stream()
                .sorted(Comparator.comparing(Gpu::pciBusId, String.CASE_INSENSITIVE_ORDER))
                .toList();
    }

    private static Optional<GpuSnapshot> readQuietly(Supplier<GpuSnapshot> gpus) {
        try {
            return Optional.of(gpus.get());
        } catch (GpuUnavailableException e) {
            // only needed to measure the footprint; the device itself was named
            return Optional.empty();
        }
    }

    /** The UUID-to-number mapping holds only in PCI order over all GPUs; say so where the environment differs. */
    private static void warnAboutOrder(GpuSnapshot snapshot, Map<String, String> environment, Consumer<String> log) {
        if (snapshot.gpus().size() > 1 && !"PCI_BUS_ID".equals(environment.get("CUDA_DEVICE_ORDER"))) {
            log.accept("warning: CUDA_DEVICE_ORDER is not PCI_BUS_ID, so CUDA may number these GPUs fastest first; "
                    + "export CUDA_DEVICE_ORDER=PCI_BUS_ID before axle serve for the GPU named here");
        }
        String visible = environment.getOrDefault("CUDA_VISIBLE_DEVICES", "");
        if (!visible.isBlank()) {
            log.accept("warning: CUDA_VISIBLE_DEVICES=" + visible + " renumbers the GPUs CUDA sees; the number "
                    + "chosen here counts all of them");
        }
    }
}
