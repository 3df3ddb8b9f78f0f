package io.axle.gpu.nvml;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads the array that {@code nvmlDeviceGetComputeRunningProcesses*} fills, whose entry size NVIDIA has changed
 * without renaming the function.
 *
 * <p>Every layout starts {@code {uint pid; ull usedGpuMemory}} (16 bytes, the plain function); {@code _v2} adds
 * {@code uint gpuInstanceId; uint computeInstanceId} (24 bytes). {@code _v3} wrote those 24-byte entries in R510 to
 * R530, 32-byte entries (an extra {@code ull usedGpuCcProtectedMemory}) in R535 up to 535.86, and 24-byte ones
 * again from 535.98 on; reports exist of R550 builds writing yet another size. A version table therefore cannot
 * be trusted, so the stride is <em>measured</em>:
 *
 * <ol>
 *   <li>The buffer is allocated with {@link #MAX_ENTRY_BYTES} per entry, more than any known layout, so the
 *       driver never writes past it whatever size it uses, and filled with {@link #SENTINEL} first.
 *   <li>After a successful call with {@code n} entries, the driver has written {@code n * stride} bytes, and the
 *       last byte of every layout is the top byte of a small count or of an ID that is 0 or 0xFF: never the
 *       sentinel. So the offset after the last non-sentinel byte, divided by {@code n}, is the stride.
 *   <li>When that measurement is inconclusive (not a whole multiple of 8 between 16 and 64) the stride the entry
 *       point is documented to write is used, and each candidate is checked for plausibility: every pid in 1 to
 *       2^22 (Linux's {@code pid_max} limit) and every memory figure within the GPU's memory or "not available".
 *       The first plausible candidate wins; when none is plausible no processes are reported rather than garbage.
 * </ol>
 */
final class ProcessEntries {
    static final int MAX_ENTRY_BYTES = 64;
    static final byte SENTINEL = (byte) 0xA5;
    static final long NOT_AVAILABLE = -1L;
    static final int NO_INSTANCE = -1;
    private static final long PID_LIMIT = 1L << 22;

    /** One entry as NVML wrote it; the instance IDs are empty for the 16-byte layout. */
    record Entry(long pid, OptionalLong usedMemoryBytes, OptionalInt gpuInstanceId) {}

    private ProcessEntries() {}

    /** The stride the driver wrote, when the sentinel shows it. */
    static OptionalInt measureStride(MemorySegment buffer, int count) {
        if (count <= 0) {
            return OptionalInt.empty();
        }
        long written = buffer.byteSize();
        while (written > 0 && buffer.get(JAVA_BYTE, written - 1) == SENTINEL) {
            written--;
        }
        if (written % count != 0) {
            return OptionalInt.empty();
        }
        long stride = written / count;
        return stride >= 16 && stride <= MAX_ENTRY_BYTES && stride % 8 == 0
                ? OptionalInt.of((int) stride)
                : OptionalInt.empty();
    }

    /** The entry size an entry point writes on the drivers where it is documented. */
    static int documentedStride(NvmlLibrary.ProcessApi api, Optional<String> driverVersion) {
        return switch (api) {
            case V1 -> 16;
            case V2 -> 24;
            case V3 ->
                driverVersion.filter(ProcessEntries::writesProtectedMemory).isPresent() ? 32 : 24;
        };
    }

    /** Reads {@code count} entries; empty when no stride gives plausible values. */
    static Optional<List<Entry>> read(MemorySegment buffer, int count, int documentedStride, long deviceMemoryBytes) {
        Set<Integer> candidates = new LinkedHashSet<>();
        measureStride(buffer, count).ifPresent(candidates::add);
        candidates.add(documentedStride);
        candidates.addAll(List.of(24, 32, 16));
        for (int stride : candidates) {
            if ((long) stride * count <= buffer.byteSize() && plausible(buffer, count, stride, deviceMemoryBytes)) {
                return Optional.of(entries(buffer, count, stride));
            }
        }
        return Optional.empty();
    }

    private static boolean plausible(MemorySegment buffer, int count, int stride, long deviceMemoryBytes) {
        for (int i = 0; i < count; i++) {
            long pid = Integer.toUnsignedLong(buffer.get(JAVA_INT_UNALIGNED, (long) i * stride));
            long used = buffer.get(JAVA_LONG_UNALIGNED, (long) i * stride + 8);
            boolean memoryPlausible =
                    used == NOT_AVAILABLE || (used >= 0 && (deviceMemoryBytes <= 0 || used <= deviceMemoryBytes));
            if (pid == 0 || pid > PID_LIMIT || !memoryPlausible) {
                return false;
            }
        }
        return true;
    }

    private static List<Entry> entries(MemorySegment buffer, int count, int stride) {
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long offset = (long) i * stride;
            long used = buffer.get(JAVA_LONG_UNALIGNED, offset + 8);
            int gpuInstance = stride >= 24 ? buffer.get(JAVA_INT_UNALIGNED, offset + 16) : NO_INSTANCE;
            entries.add(new Entry(
                    Integer.toUnsignedLong(buffer.get(JAVA_INT_UNALIGNED, offset)),
                    used == NOT_AVAILABLE ? OptionalLong.empty() : OptionalLong.of(used),
                    gpuInstance == NO_INSTANCE ? OptionalInt.empty() : OptionalInt.of(gpuInstance)));
        }
        return entries;
    }

    /** R535 builds before 535.98 wrote the 32-byte entry from {@code _v3}. */
    private static boolean writesProtectedMemory(String driverVersion) {
        String[] parts = driverVersion.split("\\.");
        try {
            return parts.length >= 2 && Integer.parseInt(parts[0]) == 535 && Integer.parseInt(parts[1]) < 98;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
