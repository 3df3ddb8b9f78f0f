package io.axle.server.ui;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import gg.jte.Content;
import gg.jte.TemplateOutput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A metric chart: one or more series of (step, value) points, drawn by {@code axle.js} from a JSON data block, with a
 * small table (last, min, max) that stays readable without JavaScript.
 */
public record RunChart(String id, String title, List<Series> series) {
    /** The most points a series carries to the browser; longer histories are thinned evenly. */
    static final int MAX_POINTS = 500;

    private static final ObjectMapper JSON = new ObjectMapper();

    public RunChart {
        requireNonNull(id, "id is null");
        requireNonNull(title, "title is null");
        series = List.copyOf(series);
    }

    /** One line of a chart; {@code label} names the run or the metric. */
    public record Series(String label, List<Long> steps, List<Double> values) {
        public Series {
            requireNonNull(label, "label is null");
            steps = List.copyOf(steps);
            values = List.copyOf(values);
        }

        public int points() {
            return values.size();
        }

        public double last() {
            return values.isEmpty() ? Double.NaN : values.getLast();
        }

        public double min() {
            return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }

        public double max() {
            return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }

        /** At most {@code limit} points, evenly spread, the last always kept. */
        static Series thinned(String label, List<Long> steps, List<Double> values, int limit) {
            if (values.size() <= limit) {
                return new Series(label, steps, values);
            }
            List<Long> keptSteps = new ArrayList<>(limit);
            List<Double> keptValues = new ArrayList<>(limit);
            double interval = (double) (values.size() - 1) / (limit - 1);
            for (int i = 0; i < limit; i++) {
                int at = i == limit - 1 ? values.size() - 1 : (int) (i * interval);
                keptSteps.add(steps.get(at));
                keptValues.add(values.get(at));
            }
            return new Series(label, keptSteps, keptValues);
        }
    }

    /**
     * The chart's data as the JSON {@code axle.js} reads from {@code <script type="application/json">}: written as is
     * into that element, so every {@code <}, {@code >} and {@code &} (found only inside JSON strings) is a
     * {@code \\u} escape and no text can close the element.
     */
    public Content data() {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("title", title);
        spec.put("x", "step");
        List<Map<String, Object>> lines = new ArrayList<>();
        for (Series line : series) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("label", line.label());
            entry.put("x", line.steps());
            // JSON has no NaN or infinities; the chart shows a gap
            entry.put(
                    "y",
                    line.values().stream()
                            .map(value -> Double.isFinite(value) ? value : null)
                            .toList());
            lines.add(entry);
        }
        spec.put("series", lines);
        String json;
        try {
            json = JSON.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        String safe = json.replace("<", "\\u003c")
                .replace(">", "\\u003e")
                .replace("&", "\\u0026")
                .replace("\u2028", "\\u2028")
                .replace("\u2029", "\\u2029");
        return new Content() {
            @Override
            public void writeTo(TemplateOutput output) {
                output.writeContent(safe);
            }

            @Override
            public boolean isEmptyContent() {
                return false;
            }
        };
    }
}
