package io.axle.gpu.placement;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.gpu.GpuSnapshot;
import io.axle.gpu.GpuSnapshotJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Snapshots recorded with {@code axle gpu ls --json}. {@code node-1-four-h100.json}: four 80 GiB GPUs with 68, 10,
 * 79 and 40 GiB free and 90, 10, 0 and 50 % utilization; NVML index 0 sits on the highest PCI bus.
 */
public final class RecordedSnapshots {
    public static final String FOUR_H100 = "/io/axle/gpu/placement/node-1-four-h100.json";
    public static final String GPU0 = "GPU-0a1b2c3d-1111-4e4e-8f8f-000000000000";
    public static final String GPU1 = "GPU-1b2c3d4e-2222-4e4e-8f8f-111111111111";
    public static final String GPU2 = "GPU-2c3d4e5f-3333-4e4e-8f8f-222222222222";
    public static final String GPU3 = "GPU-3d4e5f60-4444-4e4e-8f8f-333333333333";

    private RecordedSnapshots() {}

    public static GpuSnapshot fourH100() {
        try (InputStream in = RecordedSnapshots.class.getResourceAsStream(FOUR_H100)) {
            return GpuSnapshotJson.read(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
