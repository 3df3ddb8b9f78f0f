package io.axle.gpu.testing;

import io.axle.gpu.Gpu;
import io.axle.gpu.GpuProcess;
import io.axle.gpu.GpuSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Recorded-looking snapshots for tests of what is rendered from them: tables, metrics, Zabbix values. */
public final class SampleGpuSnapshots {
    public static final String H100_UUID = "GPU-1f9c7a3e-5b2d-4c8e-9a71-0d3e6f2b8c41";
    public static final String A10_UUID = "GPU-8d2e4b6a-0c1f-4e3d-b5a7-9f8e7d6c5b4a";
    private static final long MIB = 1024 * 1024;

    private SampleGpuSnapshots() {}

    /**
     * Two GPUs on {@code node-7}: an H100 that reports every field but memory utilization (so that metric has no
     * value on any GPU), with two processes, one whose name this host cannot see; and an A10 that reports only what
     * every source has.
     */
    public static GpuSnapshot twoGpus() {
        Gpu h100 = new Gpu(
                0,
                H100_UUID,
                "NVIDIA H100 80GB HBM3",
                "00000000:3B:00.0",
                81559 * MIB,
                12288 * MIB,
                81559 * MIB - 12288 * MIB - 528 * MIB,
                OptionalLong.of(528 * MIB),
                OptionalInt.of(87),
                OptionalInt.empty(),
                OptionalInt.of(64),
                OptionalLong.of(412_345),
                OptionalLong.of(98_765_432_101L),
                OptionalInt.of(1980),
                OptionalInt.of(2619),
                Optional.of(false),
                List.of(),
                List.of(
                        new GpuProcess(4242, OptionalLong.of(11776 * MIB), Optional.of("python3"), Optional.empty()),
                        new GpuProcess(5151, OptionalLong.of(512 * MIB), Optional.empty(), Optional.empty())));
        Gpu a10 = Gpu.basic(1, A10_UUID, "NVIDIA A10", "00000000:AF:00.0", 23028 * MIB, 0, 22505 * MIB);
        return new GpuSnapshot(
                "node-7",
                "nvml",
                Instant.parse("2026-11-28T12:00:00Z"),
                Optional.of("570.86.15"),
                Optional.of("12.8"),
                List.of(h100, a10));
    }
}
