package io.axle.gpu;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One GPU as read at one moment. A GPU is identified by its {@code uuid}; {@code index} is NVML's enumeration
 * order on this host and is shown, never relied upon. A field the driver or the device does not support is
 * empty, never faked.
 *
 * @param index NVML's index (the order {@code nvidia-smi} lists)
 * @param uuid {@code GPU-xxxxxxxx-...}, what {@code CUDA_VISIBLE_DEVICES} and {@code NVIDIA_VISIBLE_DEVICES} accept
 * @param pciBusId {@code 00000000:3B:00.0}, the key of the CUDA device order under {@code CUDA_DEVICE_ORDER=PCI_BUS_ID}
 * @param memoryReservedBytes memory the driver and firmware hold (NVML's {@code _v2} memory info only)
 * @param powerMilliwatts current draw
 * @param energyMillijoules energy used since the driver was last loaded
 */
public record Gpu(
        int index,
        String uuid,
        String name,
        String pciBusId,
        long memoryTotalBytes,
        long memoryUsedBytes,
        long memoryFreeBytes,
        OptionalLong memoryReservedBytes,
        OptionalInt gpuUtilizationPercent,
        OptionalInt memoryUtilizationPercent,
        OptionalInt temperatureCelsius,
        OptionalLong powerMilliwatts,
        OptionalLong energyMillijoules,
        OptionalInt smClockMhz,
        OptionalInt memoryClockMhz,
        Optional<Boolean> migEnabled,
        List<MigDevice> migDevices,
        List<GpuProcess> processes) {
    public Gpu {
        requireNonNull(uuid, "uuid is null");
        requireNonNull(name, "name is null");
        requireNonNull(pciBusId, "pciBusId is null");
        requireNonNull(memoryReservedBytes, "memoryReservedBytes is null");
        requireNonNull(gpuUtilizationPercent, "gpuUtilizationPercent is null");
        requireNonNull(memoryUtilizationPercent, "memoryUtilizationPercent is null");
        requireNonNull(temperatureCelsius, "temperatureCelsius is null");
        requireNonNull(powerMilliwatts, "powerMilliwatts is null");
        requireNonNull(energyMillijoules, "energyMillijoules is null");
        requireNonNull(smClockMhz, "smClockMhz is null");
        requireNonNull(memoryClockMhz, "memoryClockMhz is null");
        requireNonNull(migEnabled, "migEnabled is null");
        migDevices = List.copyOf(migDevices);
        processes = List.copyOf(processes);
    }

    /** A GPU with only the fields every source has; the optional ones empty. */
    public static Gpu basic(int index, String uuid, String name, String pciBusId, long total, long used, long free) {
        return new Gpu(
                index,
                uuid,
                name,
                pciBusId,
                total,
                used,
                free,
                OptionalLong.empty(),
                OptionalInt.empty(),
                OptionalInt.empty(),
                OptionalInt.empty(),
                OptionalLong.empty(),
                OptionalLong.empty(),
                OptionalInt.empty(),
                OptionalInt.empty(),
                Optional.empty(),
                List.of(),
                List.of());
    }

    public Gpu withProcesses(List<GpuProcess> newProcesses) {
        return new Gpu(
                index,
                uuid,
                name,
                pciBusId,
                memoryTotalBytes,
                memoryUsedBytes,
                memoryFreeBytes,
                memoryReservedBytes,
                gpuUtilizationPercent,
                memoryUtilizationPercent,
                temperatureCelsius,
                powerMilliwatts,
                energyMillijoules,
                smClockMhz,
                memoryClockMhz,
                migEnabled,
                migDevices,
                newProcesses);
    }
}
