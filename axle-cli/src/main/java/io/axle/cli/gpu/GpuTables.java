package io.axle.cli.gpu;

import io.axle.gpu.Gpu;
import io.axle.gpu.GpuProcess;
import io.axle.gpu.GpuSnapshot;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The GPUs and the processes holding their memory as two aligned tables, one GPU or process a line, so that
 * {@code grep} and {@code awk} can read them: the name, which has spaces, is the last column; a value the GPU does
 * not report is {@code -}.
 */
final class GpuTables {
    private static final long MIB = 1024 * 1024;
    private static final String NONE = "-";

    private GpuTables() {}

    static String render(GpuSnapshot snapshot) {
        if (snapshot.gpus().isEmpty()) {
            return "No NVIDIA GPUs on " + snapshot.hostname() + ".\n";
        }
        List<List<String>> gpus = new ArrayList<>();
        gpus.add(List.of(
                "INDEX",
                "UUID",
                "MEM_USED_MIB",
                "MEM_TOTAL_MIB",
                "MEM_FREE_MIB",
                "UTIL_%",
                "TEMP_C",
                "POWER_W",
                "NAME"));
        List<List<String>> processes = new ArrayList<>();
        processes.add(List.of("GPU", "PID", "MEM_MIB", "PROCESS"));
        for (Gpu gpu : snapshot.gpus()) {
            gpus.add(List.of(
                    Integer.toString(gpu.index()),
                    gpu.uuid(),
                    Long.toString(gpu.memoryUsedBytes() / MIB),
                    Long.toString(gpu.memoryTotalBytes() / MIB),
                    Long.toString(gpu.memoryFreeBytes() / MIB),
                    text(gpu.gpuUtilizationPercent()),
                    text(gpu.temperatureCelsius()),
                    watts(gpu.powerMilliwatts()),
                    gpu.name()));
            for (GpuProcess process : gpu.processes()) {
                processes.add(List.of(
                        Integer.toString(gpu.index()),
                        Long.toString(process.pid()),
                        process.usedMemoryBytes().isPresent()
                                ? Long.toString(process.usedMemoryBytes().getAsLong() / MIB)
                                : NONE,
                        process.name().orElse(NONE)));
            }
        }
        StringBuilder text = new StringBuilder(aligned(gpus)).append('\n');
        if (processes.size() == 1) {
            return text.append("No processes hold GPU memory.\n").toString();
        }
        return text.append(aligned(processes)).toString();
    }

    /** Columns two spaces apart; the last one is not padded, so no line ends in spaces. */
    private static String aligned(List<List<String>> rows) {
        int columns = rows.getFirst().size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int column = 0; column < columns; column++) {
                widths[column] = Math.max(widths[column], row.get(column).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (List<String> row : rows) {
            for (int column = 0; column < columns - 1; column++) {
                String cell = row.get(column);
                text.append(cell).append(" ".repeat(widths[column] - cell.length() + 2));
            }
            text.append(row.get(columns - 1)).append('\n');
        }
        return text.toString();
    }

    private static String text(OptionalInt value) {
        return value.isPresent() ? Integer.toString(value.getAsInt()) : NONE;
    }

    /** Watts to one decimal, as nvidia-smi shows them. */
    private static String watts(OptionalLong milliwatts) {
        return milliwatts.isPresent()
                ? BigDecimal.valueOf(milliwatts.getAsLong(), 3)
                        .setScale(1, java.math.RoundingMode.HALF_UP)
                        .toPlainString()
                : NONE;
    }
}
