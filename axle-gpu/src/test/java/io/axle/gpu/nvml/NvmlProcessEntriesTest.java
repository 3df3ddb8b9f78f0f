package io.axle.gpu.nvml;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static org.assertj.core.api.Assertions.assertThat;

import io.axle.gpu.nvml.NvmlLibrary.ProcessApi;
import io.axle.gpu.nvml.ProcessEntries.Entry;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class NvmlProcessEntriesTest {
    private static final long GIB = 1L << 30;
    private static final long DEVICE_MEMORY = 80 * GIB;

    @Test
    void theStrideIsMeasuredFromWhereTheDriverStoppedWriting() {
        try (Arena arena = Arena.ofConfined()) {
            for (int stride : new int[] {16, 24, 32, 40}) {
                MemorySegment buffer = buffer(arena, 4);
                write(buffer, stride, 0, 101, 2 * GIB, -1);
                write(buffer, stride, 1, 102, 3 * GIB, -1);
                write(buffer, stride, 2, 103, 4 * GIB, -1);

                assertThat(ProcessEntries.measureStride(buffer, 3)).hasValue(stride);
            }
        }
    }

    @Test
    void aMeasurementThatIsNoWholeEntrySizeIsInconclusive() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = buffer(arena, 4);
            buffer.set(JAVA_INT_UNALIGNED, 0, 101);

            assertThat(ProcessEntries.measureStride(buffer, 1)).isEmpty();
            assertThat(ProcessEntries.measureStride(buffer, 0)).isEmpty();
        }
    }

    @Test
    void thirtyTwoByteEntriesAreReadAtTheirStrideWhateverTheDriverVersionSuggests() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = buffer(arena, 4);
            write(buffer, 32, 0, 101, 2 * GIB, -1);
            write(buffer, 32, 1, 102, -1, 3);

            assertThat(ProcessEntries.read(buffer, 2, 24, DEVICE_MEMORY))
                    .contains(List.of(
                            new Entry(101, OptionalLong.of(2 * GIB), OptionalInt.empty()),
                            new Entry(102, OptionalLong.empty(), OptionalInt.of(3))));
        }
    }

    @Test
    void whenTheMeasurementIsInconclusiveAPlausibleStrideIsChosen() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = buffer(arena, 4);
            write(buffer, 24, 0, 101, 2 * GIB, -1);
            write(buffer, 24, 1, 102, 3 * GIB, -1);
            // Trailing bytes that look like the sentinel make the measurement fail, not the read.
            buffer.set(JAVA_INT_UNALIGNED, 44, 0xA5A5A5A5);

            assertThat(ProcessEntries.measureStride(buffer, 2)).isEmpty();
            assertThat(ProcessEntries.read(buffer, 2, 32, DEVICE_MEMORY))
                    .hasValueSatisfying(entries ->
                            assertThat(entries).extracting(Entry::pid).containsExactly(101L, 102L));
        }
    }

    @Test
    void entriesThatNoStrideMakesSenseOfAreNotReported() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(2 * ProcessEntries.MAX_ENTRY_BYTES, 8);
            buffer.fill((byte) 0);

            assertThat(ProcessEntries.read(buffer, 2, 24, DEVICE_MEMORY)).isEmpty();
        }
    }

    @Test
    void theDocumentedStrideFollowsTheEntryPointAndTheR535Exception() {
        assertThat(ProcessEntries.documentedStride(ProcessApi.V1, Optional.of("570.86.15")))
                .isEqualTo(16);
        assertThat(ProcessEntries.documentedStride(ProcessApi.V2, Optional.of("535.54.03")))
                .isEqualTo(24);
        assertThat(ProcessEntries.documentedStride(ProcessApi.V3, Optional.of("535.54.03")))
                .isEqualTo(32);
        assertThat(ProcessEntries.documentedStride(ProcessApi.V3, Optional.of("535.104.05")))
                .isEqualTo(24);
        assertThat(ProcessEntries.documentedStride(ProcessApi.V3, Optional.of("550.127.08")))
                .isEqualTo(24);
        assertThat(ProcessEntries.documentedStride(ProcessApi.V3, Optional.empty()))
                .isEqualTo(24);
    }

    private static MemorySegment buffer(Arena arena, int capacity) {
        MemorySegment buffer = arena.allocate((long) capacity * ProcessEntries.MAX_ENTRY_BYTES, 8);
        buffer.fill(ProcessEntries.SENTINEL);
        return buffer;
    }

    /** Writes the fields a driver writes for this stride, leaving the padding after pid alone. */
    private static void write(MemorySegment buffer, int stride, int index, int pid, long used, int gpuInstance) {
        long offset = (long) index * stride;
        buffer.set(JAVA_INT_UNALIGNED, offset, pid);
        buffer.set(JAVA_LONG_UNALIGNED, offset + 8, used);
        if (stride >= 24) {
            buffer.set(JAVA_INT_UNALIGNED, offset + 16, gpuInstance);
            buffer.set(JAVA_INT_UNALIGNED, offset + 20, gpuInstance == -1 ? -1 : 0);
        }
        for (long extra = offset + 24; extra < offset + stride; extra += 8) {
            buffer.set(JAVA_LONG_UNALIGNED, extra, 0L);
        }
    }
}
