package io.axle.cli.serve;

import static java.util.Objects.requireNonNull;

import io.axle.gpu.GpuSnapshot;
import io.axle.gpu.GpuUnavailableException;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Measures what loading a model took: the GPU's used memory (NVML) before and after on the model's GPU, and this
 * process's memory before and after (resident set where Linux reports it, so ONNX Runtime's native arenas count;
 * else heap plus direct and mapped buffers).
 */
final class FootprintMeter {
    private static final long PAGE_SIZE = 4096;

    private final Supplier<GpuSnapshot> gpus;
    private final Optional<String> gpuUuid;
    private final OptionalLong gpuUsedBefore;
    private final long processBefore;

    private FootprintMeter(Supplier<GpuSnapshot> gpus, Optional<String> gpuUuid) {
        this.gpus = requireNonNull(gpus, "gpus is null");
        this.gpuUuid = requireNonNull(gpuUuid, "gpuUuid is null");
        this.gpuUsedBefore = gpuUsed();
        this.processBefore = processMemory();
    }

    /** Takes the "before" readings; call {@link #tags()} after the model has loaded. */
    static FootprintMeter before(Supplier<GpuSnapshot> gpus, Optional<String> gpuUuid) {
        return new FootprintMeter(gpus, gpuUuid);
    }

    /** The tags to set on the version: {@code axle.gpu_memory_bytes} when on a readable GPU, and {@code axle.memory_bytes}. */
    Map<String, String> tags() {
        Map<String, String> tags = new LinkedHashMap<>();
        OptionalLong gpuAfter = gpuUsed();
        if (gpuUsedBefore.isPresent() && gpuAfter.isPresent()) {
            tags.put(
                    Footprint.GPU_MEMORY_TAG,
                    Long.toString(Math.max(0, gpuAfter.getAsLong() - gpuUsedBefore.getAsLong())));
        }
        tags.put(Footprint.MEMORY_TAG, Long.toString(Math.max(0, processMemory() - processBefore)));
        return tags;
    }

    private OptionalLong gpuUsed() {
        if (gpuUuid.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return gpus.get().gpu(gpuUuid.get()).stream()
                    .mapToLong(gpu -> gpu.memoryUsedBytes())
                    .findFirst();
        } catch (GpuUnavailableException e) {
            // the model loaded on a GPU this process cannot read: there is nothing to measure it with
            return OptionalLong.empty();
        }
    }

    static long processMemory() {
        Path statm = Path.of("/proc/self/statm");
        if (Files.isReadable(statm)) {
            try {
                String[] fields = Files.readString(statm).strip().split("\\s+");
                return Long.parseLong(fields[1]) * PAGE_SIZE;
            } catch (IOException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
                // fall through to what the JVM itself counts
            }
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long buffers = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .mapToLong(BufferPoolMXBean::getMemoryUsed)
                .sum();
        return heap + buffers;
    }
}
