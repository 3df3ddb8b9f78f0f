package io.axle.server.ui;

import io.axle.server.tracking.MetricWithRunId;
import io.axle.server.tracking.RunService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Metric histories as charts: one chart per metric key, one series per run, each thinned to a few hundred points. */
final class RunMetricCharts {
    /** The most metric charts a page draws. */
    static final int MAX_CHARTS = 24;

    private RunMetricCharts() {}

    /**
     * A chart per key in {@code keys} (the first {@link #MAX_CHARTS}) over the runs {@code labels} names (run id to
     * label), with the steps sampled by the run service so that no run's whole history is read into memory.
     */
    static List<RunChart> of(RunService runs, Map<String, String> labels, List<String> keys) {
        List<String> runIds = List.copyOf(labels.keySet());
        int perRun = Math.max(10, RunChart.MAX_POINTS - 2 * runIds.size());
        List<RunChart> charts = new ArrayList<>();
        for (String key : keys.subList(0, Math.min(keys.size(), MAX_CHARTS))) {
            // the sampler adds each run's first and last step to the steps it spreads evenly
            List<MetricWithRunId> points =
                    runs.historyBulkInterval(runIds, key, Optional.empty(), Optional.empty(), Optional.of(perRun));
            Map<String, List<Long>> steps = new LinkedHashMap<>();
            Map<String, List<Double>> values = new LinkedHashMap<>();
            for (MetricWithRunId point : points) {
                steps.computeIfAbsent(point.runId(), id -> new ArrayList<>()).add(point.step());
                values.computeIfAbsent(point.runId(), id -> new ArrayList<>()).add(point.value());
            }
            List<RunChart.Series> series = new ArrayList<>();
            for (String runId : runIds) {
                if (steps.containsKey(runId)) {
                    series.add(RunChart.Series.thinned(
                            labels.get(runId), steps.get(runId), values.get(runId), RunChart.MAX_POINTS));
                }
            }
            if (!series.isEmpty()) {
                charts.add(new RunChart("chart-" + charts.size(), key, series));
            }
        }
        return charts;
    }
}
