package io.axle.cli.gpu;

import io.axle.gpu.GpuSource;
import io.axle.gpu.GpuSources;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where a {@code axle gpu} command reads GPUs from: NVML (default), or a snapshot file recorded earlier. */
public final class GpuSourceOptions {
    @Option(
            names = "--nvml-library",
            paramLabel = "PATH",
            defaultValue = "${env:AXLE_NVML_LIBRARY}",
            description = "The NVML library to load (AXLE_NVML_LIBRARY; default: the system's libnvidia-ml.so.1, "
                    + "then nvidia-smi).")
    Path nvmlLibrary;

    @Option(
            names = "--snapshot",
            paramLabel = "FILE",
            description = "Read the GPUs from FILE (written by 'axle gpu ls --json') instead of NVML: "
                    + "plan on another host's GPUs.")
    Path snapshot;

    /** The source these options name; close it when done. */
    public GpuSource open() {
        if (snapshot != null) {
            return GpuSources.snapshotFile(snapshot);
        }
        return GpuSources.detect(Optional.ofNullable(nvmlLibrary));
    }
}
