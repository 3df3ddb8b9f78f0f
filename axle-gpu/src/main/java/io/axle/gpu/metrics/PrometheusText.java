package io.axle.gpu.metrics;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Prometheus text exposition format 0.0.4, written family by family. A family without samples is left out
 * whole, HELP and TYPE included, so a field no GPU reports does not show up as an empty metric.
 */
final class PrometheusText {
    private final StringBuilder text = new StringBuilder();

    record Label(String name, String value) {
        Label {
            requireNonNull(name, "name is null");
            requireNonNull(value, "value is null");
        }
    }

    record Sample(List<Label> labels, String value) {
        Sample {
            labels = List.copyOf(labels);
            requireNonNull(value, "value is null");
        }
    }

    PrometheusText family(String name, String type, String help, List<Sample> samples) {
        if (samples.isEmpty()) {
            return this;
        }
        text.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
        text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        for (Sample sample : samples) {
            text.append(name);
            if (!sample.labels().isEmpty()) {
                text.append('{');
                for (int i = 0; i < sample.labels().size(); i++) {
                    Label label = sample.labels().get(i);
                    if (i > 0) {
                        text.append(',');
                    }
                    text.append(label.name())
                            .append("=\"")
                            .append(escapeLabelValue(label.value()))
                            .append('"');
                }
                text.append('}');
            }
            text.append(' ').append(sample.value()).append('\n');
        }
        return this;
    }

    @Override
    public String toString() {
        return text.toString();
    }

    static String escapeLabelValue(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
