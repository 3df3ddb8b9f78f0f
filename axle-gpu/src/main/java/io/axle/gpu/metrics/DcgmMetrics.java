package io.axle.gpu.metrics;

import io.axle.gpu.Gpu;
import io.axle.gpu.GpuProcess;
import io.axle.gpu.GpuSnapshot;
import io.axle.gpu.metrics.PrometheusText.Label;
import io.axle.gpu.metrics.PrometheusText.Sample;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * A {@link GpuSnapshot} as Prometheus text (format 0.0.4) under the NVIDIA dcgm-exporter's metric names, HELP
 * text, types, units and labels ({@code gpu, UUID, pci_bus_id, device, modelName, Hostname}), so dashboards and
 * alerts written for dcgm-exporter read it unchanged; then Axle's own {@code axle_*} metrics.
 *
 * <p>A field a GPU does not report has no sample for that GPU, and a field no GPU reports is left out entirely:
 * nothing is faked. MIG devices are not exported: dcgm-exporter labels them with the GPU instance id and profile
 * ({@code GPU_I_ID}, {@code GPU_I_PROFILE}), which a snapshot does not carry, and a partition's memory under the
 * parent's labels would be counted twice.
 */
public final class DcgmMetrics {
    private static final long MIB = 1024 * 1024;

    /** In the order of dcgm-exporter's counters file, so a diff against its output reads line by line. */
    private static final List<DeviceField> DEVICE_FIELDS = List.of(
            new DeviceField(
                    "DCGM_FI_DEV_SM_CLOCK", "gauge", "SM clock frequency (in MHz).", gpu -> text(gpu.smClockMhz())),
            new DeviceField(
                    "DCGM_FI_DEV_MEM_CLOCK",
                    "gauge",
                    "Memory clock frequency (in MHz).",
                    gpu -> text(gpu.memoryClockMhz())),
            new DeviceField(
                    "DCGM_FI_DEV_GPU_TEMP", "gauge", "GPU temperature (in C).", gpu -> text(gpu.temperatureCelsius())),
            new DeviceField(
                    "DCGM_FI_DEV_POWER_USAGE",
                    "gauge",
                    "Power draw (in W).",
                    gpu -> milliToUnit(gpu.powerMilliwatts())),
            new DeviceField(
                    "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION",
                    "counter",
                    "Total energy consumption since boot (in mJ).",
                    gpu -> text(gpu.energyMillijoules())),
            new DeviceField(
                    "DCGM_FI_DEV_GPU_UTIL",
                    "gauge",
                    "GPU utilization (in %).",
                    gpu -> text(gpu.gpuUtilizationPercent())),
            new DeviceField(
                    "DCGM_FI_DEV_MEM_COPY_UTIL",
                    "gauge",
                    "Memory utilization (in %).",
                    gpu -> text(gpu.memoryUtilizationPercent())),
            new DeviceField(
                    "DCGM_FI_DEV_FB_FREE",
                    "gauge",
                    "Framebuffer memory free (in MiB).",
                    gpu -> Optional.of(Long.toString(gpu.memoryFreeBytes() / MIB))),
            new DeviceField(
                    "DCGM_FI_DEV_FB_USED",
                    "gauge",
                    "Framebuffer memory used (in MiB).",
                    gpu -> Optional.of(Long.toString(gpu.memoryUsedBytes() / MIB))),
            new DeviceField(
                    "DCGM_FI_DEV_FB_RESERVED",
                    "gauge",
                    "Framebuffer memory reserved (in MiB).",
                    gpu -> mebibytes(gpu.memoryReservedBytes())));

    private DcgmMetrics() {}

    /**
     * Every GPU's metrics, each process's GPU memory, and the memory Axle has reserved per GPU. A reservation for a
     * GPU that is not in the snapshot is left out: its {@code gpu} label would be unknown.
     */
    public static String render(GpuSnapshot snapshot, List<ReservedMemory> reservations) {
        PrometheusText text = new PrometheusText();
        for (DeviceField field : DEVICE_FIELDS) {
            List<Sample> samples = new ArrayList<>();
            for (Gpu gpu : snapshot.gpus()) {
                field.value().apply(gpu).ifPresent(value -> samples.add(new Sample(dcgmLabels(snapshot, gpu), value)));
            }
            text.family(field.name(), field.type(), field.help(), samples);
        }
        text.family(
                "axle_gpu_process_memory_used_bytes",
                "gauge",
                "GPU memory used by a process (in bytes), as NVML reports it.",
                processSamples(snapshot));
        text.family(
                "axle_gpu_reserved_bytes",
                "gauge",
                "GPU memory Axle has reserved on this node (in bytes), used or not yet, per owner (a deployment or serve).",
                reservationSamples(snapshot, reservations));
        return text.toString();
    }

    /**
     * Whether the last scrape could read the GPUs ({@code axle_gpu_up}, like an exporter's {@code *_up}) and how
     * many scrapes have failed since the exporter started.
     */
    public static String scrapeHealth(boolean up, long failedScrapes) {
        return new PrometheusText()
                .family(
                        "axle_gpu_up",
                        "gauge",
                        "1 if the last scrape read the GPUs, 0 if the GPU source failed.",
                        List.of(new Sample(List.of(), up ? "1" : "0")))
                .family(
                        "axle_gpu_scrape_errors_total",
                        "counter",
                        "Scrapes that could not read the GPUs since the exporter started.",
                        List.of(new Sample(List.of(), Long.toString(failedScrapes))))
                .toString();
    }

    /** dcgm-exporter's labels, in its order; {@code Hostname} only when known, as dcgm-exporter does. */
    private static List<Label> dcgmLabels(GpuSnapshot snapshot, Gpu gpu) {
        List<Label> labels = new ArrayList<>(gpuLabels(gpu));
        labels.add(new Label("pci_bus_id", gpu.pciBusId()));
        labels.add(new Label("device", "nvidia" + gpu.index()));
        labels.add(new Label("modelName", gpu.name()));
        if (!snapshot.hostname().isEmpty()) {
            labels.add(new Label("Hostname", snapshot.hostname()));
        }
        return labels;
    }

    private static List<Label> gpuLabels(Gpu gpu) {
        return List.of(new Label("gpu", Integer.toString(gpu.index())), new Label("UUID", gpu.uuid()));
    }

    private static List<Sample> processSamples(GpuSnapshot snapshot) {
        List<Sample> samples = new ArrayList<>();
        for (Gpu gpu : snapshot.gpus()) {
            for (GpuProcess process : gpu.processes()) {
                if (process.usedMemoryBytes().isEmpty()) {
                    continue;
                }
                List<Label> labels = new ArrayList<>(gpuLabels(gpu));
                labels.add(new Label("pid", Long.toString(process.pid())));
                labels.add(new Label("process", process.name().orElse("")));
                samples.add(new Sample(
                        labels, Long.toString(process.usedMemoryBytes().getAsLong())));
            }
        }
        return samples;
    }

    private static List<Sample> reservationSamples(GpuSnapshot snapshot, List<ReservedMemory> reservations) {
        Map<String, Map<String, Long>> bytesByGpu = new LinkedHashMap<>();
        for (ReservedMemory reservation : reservations) {
            bytesByGpu
                    .computeIfAbsent(reservation.gpuUuid(), uuid -> new java.util.TreeMap<>())
                    .merge(reservation.owner(), reservation.bytes(), Long::sum);
        }
        List<Sample> samples = new ArrayList<>();
        for (Gpu gpu : snapshot.gpus()) {
            Map<String, Long> owners = bytesByGpu.getOrDefault(gpu.uuid(), Map.of());
            owners.forEach((owner, bytes) -> {
                List<Label> labels = new ArrayList<>(gpuLabels(gpu));
                labels.add(new Label("owner", owner));
                samples.add(new Sample(labels, Long.toString(bytes)));
            });
        }
        return samples;
    }

    private static Optional<String> text(OptionalInt value) {
        return value.isPresent() ? Optional.of(Integer.toString(value.getAsInt())) : Optional.empty();
    }

    private static Optional<String> text(OptionalLong value) {
        return value.isPresent() ? Optional.of(Long.toString(value.getAsLong())) : Optional.empty();
    }

    private static Optional<String> mebibytes(OptionalLong bytes) {
        return bytes.isPresent() ? Optional.of(Long.toString(bytes.getAsLong() / MIB)) : Optional.empty();
    }

    /** Milliwatts as watts without rounding: 64382 mW is {@code 64.382}. */
    private static Optional<String> milliToUnit(OptionalLong milli) {
        return milli.isPresent()
                ? Optional.of(BigDecimal.valueOf(milli.getAsLong(), 3)
                        .stripTrailingZeros()
                        .toPlainString())
                : Optional.empty();
    }

    private record DeviceField(String name, String type, String help, Function<Gpu, Optional<String>> value) {}
}
