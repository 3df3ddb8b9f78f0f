package io.axle.gpu;

/**
 * Where GPU snapshots come from: NVML, {@code nvidia-smi}, or a recorded file. Implementations are thread-safe
 * and may be read repeatedly (the exporter reads one on every scrape).
 */
public interface GpuSource extends AutoCloseable {
    /**
     * Reads every GPU now.
     *
     * @throws GpuUnavailableException when there is no NVIDIA library, no driver or no GPU
     */
    GpuSnapshot snapshot();

    /** Releases the library (NVML's shutdown); the default has nothing to release. */
    @Override
    default void close() {}
}
