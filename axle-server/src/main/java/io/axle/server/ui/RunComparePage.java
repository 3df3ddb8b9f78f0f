package io.axle.server.ui;

import static java.util.Objects.requireNonNull;

import io.axle.server.tracking.Metric;
import io.axle.server.tracking.Param;
import io.axle.server.tracking.Run;
import io.axle.server.tracking.RunInfo;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Runs side by side: their params (differences marked), their latest metrics, and each metric's charts overlaid. */
public final class RunComparePage {
    static final int MIN_RUNS = 2;
    static final int MAX_RUNS = 20;

    private final UiServices services;
    private final Pages pages;

    RunComparePage(UiServices services, Pages pages) {
        this.services = requireNonNull(services, "services is null");
        this.pages = requireNonNull(pages, "pages is null");
    }

    void register(RoutesConfig routes) {
        routes.get("/compare", pages.page(this::compare));
    }

    /** A run as a column of the comparison. */
    public record Column(String runId, String label, String status, String experimentId) {
        public String badge() {
            return RunTablePage.badge(status);
        }
    }

    /** One param or metric across the runs, blank where a run lacks it; {@code differs} when not all alike. */
    public record Line(String key, List<String> values, boolean differs) {}

    /** The comparison page. */
    public record View(
            Chrome chrome, List<Column> runs, List<Line> params, List<Line> metrics, List<RunChart> charts) {}

    private void compare(Context ctx) {
        Set<String> ids = new LinkedHashSet<>();
        for (String value : ctx.queryParams("runs")) {
            Arrays.stream(value.split(","))
                    .map(String::strip)
                    .filter(id -> !id.isEmpty())
                    .forEach(ids::add);
        }
        if (ids.size() < MIN_RUNS || ids.size() > MAX_RUNS) {
            throw new UiException(
                    400,
                    "Choose between " + MIN_RUNS + " and " + MAX_RUNS + " runs to compare; " + ids.size()
                            + (ids.size() == 1 ? " was" : " were") + " chosen.");
        }
        List<Run> runs = new ArrayList<>();
        for (String id : ids) {
            runs.add(services.runs().get(id));
        }
        List<Column> columns = new ArrayList<>();
        Map<String, String> labels = new LinkedHashMap<>();
        for (Run run : runs) {
            RunInfo info = run.info();
            String label = (info.runName().isEmpty() ? "" : info.runName() + " · ") + Fmt.shortId(info.runId());
            columns.add(new Column(info.runId(), label, info.status(), info.experimentId()));
            labels.put(info.runId(), label);
        }
        List<Map<String, String>> params = new ArrayList<>();
        List<Map<String, String>> metrics = new ArrayList<>();
        Set<String> paramKeys = new TreeSet<>();
        Set<String> metricKeys = new TreeSet<>();
        for (Run run : runs) {
            Map<String, String> runParams = new LinkedHashMap<>();
            for (Param param : run.data().params()) {
                runParams.put(param.key(), param.value());
            }
            Map<String, String> runMetrics = new LinkedHashMap<>();
            for (Metric metric : run.data().metrics()) {
                runMetrics.put(metric.key(), Fmt.number(metric.value()));
            }
            params.add(runParams);
            metrics.add(runMetrics);
            paramKeys.addAll(runParams.keySet());
            metricKeys.addAll(runMetrics.keySet());
        }
        List<RunChart> charts = RunMetricCharts.of(services.runs(), labels, List.copyOf(metricKeys));
        pages.render(
                ctx,
                "compare.jte",
                new View(
                        pages.chrome(ctx, "Compare " + runs.size() + " runs", Section.EXPERIMENTS),
                        columns,
                        lines(paramKeys, params),
                        lines(metricKeys, metrics),
                        charts));
    }

    private static List<Line> lines(Set<String> keys, List<Map<String, String>> byRun) {
        List<Line> lines = new ArrayList<>();
        for (String key : keys) {
            List<String> values =
                    byRun.stream().map(values1 -> values1.getOrDefault(key, "")).toList();
            lines.add(new Line(key, values, values.stream().distinct().count() > 1));
        }
        return lines;
    }
}
