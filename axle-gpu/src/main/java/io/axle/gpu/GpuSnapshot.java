package io.axle.gpu;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Every GPU of one host at one moment.
 *
 * @param source where it was read: {@code nvml}, {@code nvidia-smi} or {@code snapshot} (a file)
 * @param driverVersion the NVIDIA driver, e.g. {@code 570.86.15}
 * @param cudaDriverVersion the CUDA version the driver supports, e.g. {@code 12.8}
 */
public record GpuSnapshot(
        String hostname,
        String source,
        Instant takenAt,
        Optional<String> driverVersion,
        Optional<String> cudaDriverVersion,
        List<Gpu> gpus) {
    public GpuSnapshot {
        requireNonNull(hostname, "hostname is null");
        requireNonNull(source, "source is null");
        requireNonNull(takenAt, "takenAt is null");
        requireNonNull(driverVersion, "driverVersion is null");
        requireNonNull(cudaDriverVersion, "cudaDriverVersion is null");
        gpus = List.copyOf(gpus);
    }

    public Optional<Gpu> gpu(String uuid) {
        return gpus.stream().filter(gpu -> gpu.uuid().equals(uuid)).findFirst();
    }
}
