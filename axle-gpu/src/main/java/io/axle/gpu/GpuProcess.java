package io.axle.gpu;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A process holding memory on a GPU (NVML's running compute processes).
 *
 * @param usedMemoryBytes empty where the driver does not say (Windows WDDM, or a process in another container)
 * @param name the command name from {@code /proc/<pid>/comm}, when this host can see the process
 * @param migDeviceUuid the MIG device it runs on, when the GPU is partitioned
 */
public record GpuProcess(
        long pid, OptionalLong usedMemoryBytes, Optional<String> name, Optional<String> migDeviceUuid) {
    public GpuProcess {
        requireNonNull(usedMemoryBytes, "usedMemoryBytes is null");
        requireNonNull(name, "name is null");
        requireNonNull(migDeviceUuid, "migDeviceUuid is null");
    }
}
