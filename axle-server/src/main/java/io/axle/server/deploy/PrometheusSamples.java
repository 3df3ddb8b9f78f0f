package io.axle.server.deploy;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The samples of a Prometheus text exposition (format 0.0.4): metric name, labels and value per line. Comments,
 * blank lines, timestamps and lines it cannot read are skipped: an exporter may add metrics we do not know.
 */
final class PrometheusSamples {
    record Sample(String name, Map<String, String> labels, double value) {
        Sample {
            requireNonNull(name, "name is null");
            labels = Map.copyOf(labels);
        }

        String label(String labelName) {
            return labels.getOrDefault(labelName, "");
        }
    }

    private PrometheusSamples() {}

    static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            String stripped = line.strip();
            if (!stripped.isEmpty() && !stripped.startsWith("#")) {
                parseLine(stripped).ifPresent(samples::add);
            }
        }
        return samples;
    }

    private static Optional<Sample> parseLine(String line) {
        int position = 0;
        while (position < line.length() && isNameCharacter(line.charAt(position), position)) {
            position++;
        }
        if (position == 0) {
            return Optional.empty();
        }
        String name = line.substring(0, position);
        Map<String, String> labels = new LinkedHashMap<>();
        if (position < line.length() && line.charAt(position) == '{') {
            position = labels(line, position + 1, labels);
            if (position < 0) {
                return Optional.empty();
            }
        }
        String[] rest = line.substring(position).strip().split("\\s+");
        if (rest.length == 0 || rest[0].isEmpty()) {
            return Optional.empty();
        }
        return value(rest[0]).map(value -> new Sample(name, labels, value));
    }

    /** Reads {@code a="x",b="y"}} from {@code start}; the position after '}', or -1 when malformed. */
    private static int labels(String line, int start, Map<String, String> labels) {
        int position = start;
        while (true) {
            while (position < line.length() && (line.charAt(position) == ' ' || line.charAt(position) == ',')) {
                position++;
            }
            if (position >= line.length()) {
                return -1;
            }
            if (line.charAt(position) == '}') {
                return position + 1;
            }
            int equals = line.indexOf('=', position);
            if (equals < 0 || equals + 1 >= line.length() || line.charAt(equals + 1) != '"') {
                return -1;
            }
            String labelName = line.substring(position, equals).strip();
            StringBuilder value = new StringBuilder();
            position = equals + 2;
            while (position < line.length() && line.charAt(position) != '"') {
                char character = line.charAt(position);
                if (character == '\\' && position + 1 < line.length()) {
                    char escaped = line.charAt(++position);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(character);
                }
                position++;
            }
            if (position >= line.length()) {
                return -1;
            }
            labels.put(labelName, value.toString());
            position++;
        }
    }

    private static Optional<Double> value(String text) {
        return switch (text) {
            case "NaN" -> Optional.of(Double.NaN);
            case "+Inf" -> Optional.of(Double.POSITIVE_INFINITY);
            case "-Inf" -> Optional.of(Double.NEGATIVE_INFINITY);
            default -> {
                try {
                    yield Optional.of(Double.parseDouble(text));
                } catch (NumberFormatException e) {
                    yield Optional.empty();
                }
            }
        };
    }

    private static boolean isNameCharacter(char character, int position) {
        return character == '_'
                || character == ':'
                || (character >= 'a' && character <= 'z')
                || (character >= 'A' && character <= 'Z')
                || (position > 0 && character >= '0' && character <= '9');
    }
}
