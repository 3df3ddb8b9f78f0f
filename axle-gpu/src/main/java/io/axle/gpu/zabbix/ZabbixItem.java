package io.axle.gpu.zabbix;

import io.axle.gpu.Gpu;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The values {@code axle gpu zabbix get} answers, keyed as in a Zabbix item key. */
public enum ZabbixItem {
    MEMORY_USED("memory.used", "bytes", gpu -> Optional.of(Long.toString(gpu.memoryUsedBytes()))),
    MEMORY_FREE("memory.free", "bytes", gpu -> Optional.of(Long.toString(gpu.memoryFreeBytes()))),
    MEMORY_TOTAL("memory.total", "bytes", gpu -> Optional.of(Long.toString(gpu.memoryTotalBytes()))),
    UTILIZATION_GPU("utilization.gpu", "%", gpu -> text(gpu.gpuUtilizationPercent())),
    UTILIZATION_MEMORY("utilization.memory", "%", gpu -> text(gpu.memoryUtilizationPercent())),
    TEMPERATURE("temperature", "C", gpu -> text(gpu.temperatureCelsius())),
    POWER("power", "W", gpu -> watts(gpu.powerMilliwatts())),
    ENERGY("energy", "mJ since the driver loaded", gpu -> text(gpu.energyMillijoules())),
    CLOCKS_SM("clocks.sm", "MHz", gpu -> text(gpu.smClockMhz())),
    CLOCKS_MEM("clocks.mem", "MHz", gpu -> text(gpu.memoryClockMhz())),
    PROCESSES(
            "processes",
            "count",
            gpu -> Optional.of(Integer.toString(gpu.processes().size())));

    private final String key;
    private final String unit;
    private final Function<Gpu, Optional<String>> read;

    ZabbixItem(String key, String unit, Function<Gpu, Optional<String>> read) {
        this.key = key;
        this.unit = unit;
        this.read = read;
    }

    public String key() {
        return key;
    }

    public String unit() {
        return unit;
    }

    /** The bare value, empty when this GPU or its driver does not report it. */
    public Optional<String> read(Gpu gpu) {
        return read.apply(gpu);
    }

    public static Optional<ZabbixItem> byKey(String key) {
        return Arrays.stream(values()).filter(item -> item.key.equals(key)).findFirst();
    }

    /** {@code memory.used (bytes), memory.free (bytes), ...}: what an error message offers instead. */
    public static String describeAll() {
        return Arrays.stream(values())
                .map(item -> item.key + " (" + item.unit + ")")
                .collect(Collectors.joining(", "));
    }

    private static Optional<String> text(OptionalInt value) {
        return value.isPresent() ? Optional.of(Integer.toString(value.getAsInt())) : Optional.empty();
    }

    private static Optional<String> text(OptionalLong value) {
        return value.isPresent() ? Optional.of(Long.toString(value.getAsLong())) : Optional.empty();
    }

    private static Optional<String> watts(OptionalLong milliwatts) {
        return milliwatts.isPresent()
                ? Optional.of(BigDecimal.valueOf(milliwatts.getAsLong(), 3)
                        .stripTrailingZeros()
                        .toPlainString())
                : Optional.empty();
    }
}
