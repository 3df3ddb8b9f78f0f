package io.axle.serving.metrics;

/** Pieces of the Prometheus text format 0.0.4. */
final class Exposition {
    private Exposition() {}

    static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** {@code a="x",b="y"} with each value escaped. */
    static String labels(String... namesAndValues) {
        StringBuilder labels = new StringBuilder();
        for (int index = 0; index < namesAndValues.length; index += 2) {
            if (index > 0) {
                labels.append(',');
            }
            labels.append(namesAndValues[index])
                    .append("=\"")
                    .append(escapeLabelValue(namesAndValues[index + 1]))
                    .append('"');
        }
        return labels.toString();
    }

    static String escapeLabelValue(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }

    /** A sample value as Prometheus reads it: whole numbers without a fraction, {@code +Inf}, {@code NaN}. */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }
}
