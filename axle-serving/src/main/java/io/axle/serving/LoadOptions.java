package io.axle.serving;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * How to load a model directory.
 *
 * @param name the name to serve it under (else the registered model's, else the directory's)
 * @param version the registered model version it came from, if any
 * @param gpuMemoryLimitBytes ONNX Runtime's CUDA arena cap ({@code gpu_mem_limit}); empty: no cap
 * @param intraOpThreads ONNX Runtime's intra-op threads; 0 lets it choose
 */
public record LoadOptions(
        Optional<String> name,
        Optional<String> version,
        Device device,
        OptionalLong gpuMemoryLimitBytes,
        int intraOpThreads) {
    public LoadOptions {
        requireNonNull(name, "name is null");
        requireNonNull(version, "version is null");
        requireNonNull(device, "device is null");
        requireNonNull(gpuMemoryLimitBytes, "gpuMemoryLimitBytes is null");
    }

    public static LoadOptions cpu() {
        return new LoadOptions(Optional.empty(), Optional.empty(), Device.cpu(), OptionalLong.empty(), 0);
    }
}
