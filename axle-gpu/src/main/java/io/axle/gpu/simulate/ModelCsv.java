package io.axle.gpu.simulate;

import io.axle.common.AxleException;
import io.axle.gpu.placement.ByteSize;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The models file of {@code axle gpu simulate}: CSV with a header naming the columns {@code model}, {@code replicas}
 * and {@code memory}, in any order (other columns are ignored); no quoting, so model names have no commas. Blank
 * lines and lines starting with {@code #} are skipped. {@code memory} is one replica's peak: a size with a unit
 * ({@code 30GiB}, {@code 500MiB}, {@code 6G}) or, as a bare number, a fraction of one GPU ({@code 0.47}, above 0 and
 * at most 1).
 */
public final class ModelCsv {
    private static final Pattern FRACTION = Pattern.compile("\\d*\\.?\\d+");

    private ModelCsv() {}

    public static List<ModelDemand> read(Path file, long gpuBytes) {
        try {
            return parse(file.toString(), Files.readAllLines(file), gpuBytes);
        } catch (NoSuchFileException e) {
            throw AxleException.invalidParameter("Models file " + file + " does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<ModelDemand> parse(String name, List<String> lines, long gpuBytes) {
        int header = 0;
        while (header < lines.size() && skipped(lines.get(header))) {
            header++;
        }
        if (header == lines.size()) {
            throw AxleException.invalidParameter(name + " is empty: it needs a header line 'model,replicas,memory'");
        }
        List<String> columns = Arrays.stream(lines.get(header).split(",", -1))
                .map(String::strip)
                .toList();
        int model = column(name, header, columns, "model");
        int replicas = column(name, header, columns, "replicas");
        int memory = column(name, header, columns, "memory");
        List<ModelDemand> demands = new ArrayList<>();
        for (int i = header + 1; i < lines.size(); i++) {
            if (skipped(lines.get(i))) {
                continue;
            }
            String[] cells = lines.get(i).split(",", -1);
            String where = name + " line " + (i + 1);
            if (cells.length != columns.size()) {
                throw AxleException.invalidParameter(where + " has " + cells.length + " column(s), the header "
                        + columns.size() + " (model names cannot contain commas)");
            }
            String modelName = cells[model].strip();
            if (modelName.isEmpty()) {
                throw AxleException.invalidParameter(where + ", column 'model': the model name is empty");
            }
            demands.add(new ModelDemand(
                    modelName,
                    replicas(where, cells[replicas].strip()),
                    memory(where, cells[memory].strip(), gpuBytes)));
        }
        return demands;
    }

    private static boolean skipped(String line) {
        return line.isBlank() || line.strip().startsWith("#");
    }

    private static int column(String name, int header, List<String> columns, String wanted) {
        int index = columns.indexOf(wanted);
        if (index < 0) {
            throw AxleException.invalidParameter(name + " line " + (header + 1) + ": the header has no '" + wanted
                    + "' column (it has " + String.join(", ", columns) + "; it needs model,replicas,memory)");
        }
        return index;
    }

    private static int replicas(String where, String cell) {
        try {
            int replicas = Integer.parseInt(cell);
            if (replicas >= 1) {
                return replicas;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw AxleException.invalidParameter(
                where + ", column 'replicas': '" + cell + "' is not a whole number of at least 1");
    }

    private static long memory(String where, String cell, long gpuBytes) {
        long bytes;
        if (FRACTION.matcher(cell).matches()) {
            double fraction = Double.parseDouble(cell);
            if (fraction <= 0 || fraction > 1) {
                throw AxleException.invalidParameter(where + ", column 'memory': '" + cell + "' is a bare number, "
                        + "read as a fraction of one GPU, so it must be above 0 and at most 1; give a size with a "
                        + "unit (30GiB) otherwise");
            }
            bytes = Math.round(fraction * gpuBytes);
        } else {
            try {
                bytes = ByteSize.parse(cell).bytes();
            } catch (AxleException e) {
                throw AxleException.invalidParameter(where + ", column 'memory': " + e.getMessage());
            }
        }
        if (bytes < 1 || bytes > gpuBytes) {
            throw AxleException.invalidParameter(where + ", column 'memory': " + ByteSize.format(bytes)
                    + " does not fit on one GPU of " + ByteSize.format(gpuBytes) + " (and must be above 0)");
        }
        return bytes;
    }
}
