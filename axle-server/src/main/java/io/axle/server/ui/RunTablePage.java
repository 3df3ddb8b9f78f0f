package io.axle.server.ui;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.server.tracking.Experiment;
import io.axle.server.tracking.Metric;
import io.axle.server.tracking.Page;
import io.axle.server.tracking.Param;
import io.axle.server.tracking.Run;
import io.axle.server.tracking.RunInfo;
import io.axle.server.tracking.ViewType;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * An experiment's runs: a search in MLflow's run filter syntax, the metric and param columns the user chose, sorting
 * by a column, pages of 50, and checkboxes to compare runs.
 */
public final class RunTablePage {
    static final int PAGE_SIZE = 50;
    static final String DEFAULT_ORDER = "attributes.start_time DESC";
    /** The most metric or param columns shown at once. */
    static final int MAX_COLUMNS = 30;

    private final UiServices services;
    private final Pages pages;

    RunTablePage(UiServices services, Pages pages) {
        this.services = requireNonNull(services, "services is null");
        this.pages = requireNonNull(pages, "pages is null");
    }

    void register(RoutesConfig routes) {
        routes.get("/experiments/{id}", pages.page(this::runs));
    }

    /** One run of the table, with its latest metric values and its params by key. */
    public record Row(
            String runId,
            String name,
            String status,
            long startTime,
            Optional<Long> duration,
            String user,
            Map<String, Double> metrics,
            Map<String, String> params) {
        public String metric(String key) {
            Double value = metrics.get(key);
            return value == null ? "" : Fmt.number(value);
        }

        public String param(String key) {
            return params.getOrDefault(key, "");
        }

        public String badge() {
            return RunTablePage.badge(status);
        }
    }

    /** The runs page. */
    public record View(
            Chrome chrome,
            Experiment experiment,
            String filter,
            String orderBy,
            Optional<String> error,
            List<String> metricColumns,
            List<String> paramColumns,
            List<String> metricKeys,
            List<String> paramKeys,
            List<Row> rows,
            Optional<String> nextPage,
            Optional<String> firstPage,
            long now) {
        public String path() {
            return "/experiments/" + Fmt.seg(experiment.experimentId());
        }

        /** The link that sorts by {@code field}: descending first, ascending when already descending. */
        public String sortLink(String field) {
            String next = orderBy.equals(field + " DESC") ? field + " ASC" : field + " DESC";
            Map<String, String> query = query();
            query.put("order_by", next);
            return Fmt.url(path(), query);
        }

        /** An arrow for the column the table is sorted by. */
        public String arrow(String field) {
            if (orderBy.equals(field + " DESC")) {
                return " ↓";
            }
            return orderBy.equals(field + " ASC") ? " ↑" : "";
        }

        public String metricField(String key) {
            return "metrics." + Filters.name(key);
        }

        public String paramField(String key) {
            return "params." + Filters.name(key);
        }

        public boolean chosenMetric(String key) {
            return metricColumns.contains(key);
        }

        public boolean chosenParam(String key) {
            return paramColumns.contains(key);
        }

        public int columns() {
            return 6 + metricColumns.size() + paramColumns.size();
        }

        Map<String, String> query() {
            return RunTablePage.query(filter, metricColumns, paramColumns, orderBy);
        }
    }

    private void runs(Context ctx) {
        Experiment experiment = services.experiments().get(ctx.pathParam("id"));
        String filter = Optional.ofNullable(ctx.queryParam("filter")).orElse("").strip();
        String orderBy = Optional.ofNullable(ctx.queryParam("order_by"))
                .map(String::strip)
                .filter(o -> !o.isEmpty())
                .orElse(DEFAULT_ORDER);
        List<String> metricColumns = keys(ctx, "metrics");
        List<String> paramColumns = keys(ctx, "params");
        Optional<String> pageToken =
                Optional.ofNullable(ctx.queryParam("page_token")).filter(t -> !t.isEmpty());
        Page<Run> page;
        Optional<String> error = Optional.empty();
        try {
            page = services.runs()
                    .search(
                            List.of(experiment.experimentId()),
                            filter,
                            ViewType.ACTIVE_ONLY,
                            PAGE_SIZE,
                            List.of(orderBy),
                            pageToken);
        } catch (AxleException e) {
            if (e.errorCode().httpStatus() != 400) {
                throw e;
            }
            page = new Page<>(List.of(), Optional.empty());
            error = Optional.of(e.getMessage());
        }
        Set<String> metricKeys = new TreeSet<>(metricColumns);
        Set<String> paramKeys = new TreeSet<>(paramColumns);
        List<Row> rows = new ArrayList<>();
        for (Run run : page.items()) {
            Row row = row(run);
            metricKeys.addAll(row.metrics().keySet());
            paramKeys.addAll(row.params().keySet());
            rows.add(row);
        }
        String path = "/experiments/" + Fmt.seg(experiment.experimentId());
        Map<String, String> query = query(filter, metricColumns, paramColumns, orderBy);
        Optional<String> firstPage = pageToken.map(token -> Fmt.url(path, query));
        Optional<String> nextPage = page.nextPageToken().map(token -> {
            Map<String, String> next = new LinkedHashMap<>(query);
            next.put("page_token", token);
            return Fmt.url(path, next);
        });
        View view = new View(
                pages.chrome(ctx, experiment.name() + " · Runs", Section.EXPERIMENTS),
                experiment,
                filter,
                orderBy,
                error,
                metricColumns,
                paramColumns,
                List.copyOf(metricKeys),
                List.copyOf(paramKeys),
                rows,
                nextPage,
                firstPage,
                services.clock().millis());
        pages.render(ctx, error.isPresent() ? 400 : 200, "runs.jte", view);
    }

    /** The query string that keeps the table as it is: its filter, columns and order. */
    static Map<String, String> query(
            String filter, List<String> metricColumns, List<String> paramColumns, String orderBy) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("filter", filter);
        query.put("metrics", String.join(",", metricColumns));
        query.put("params", String.join(",", paramColumns));
        query.put("order_by", orderBy.equals(DEFAULT_ORDER) ? "" : orderBy);
        return query;
    }

    /** The keys a query parameter names, given repeated ({@code k=a&k=b}) or comma-separated ({@code k=a,b}). */
    private static List<String> keys(Context ctx, String name) {
        Set<String> keys = new LinkedHashSet<>();
        for (String value : ctx.queryParams(name)) {
            Arrays.stream(value.split(","))
                    .map(String::strip)
                    .filter(key -> !key.isEmpty())
                    .forEach(keys::add);
        }
        if (keys.size() > MAX_COLUMNS) {
            throw new UiException(400, "At most " + MAX_COLUMNS + " " + name + " columns can be shown at once.");
        }
        return List.copyOf(keys);
    }

    private static Row row(Run run) {
        RunInfo info = run.info();
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Metric metric : run.data().metrics()) {
            metrics.put(metric.key(), metric.value());
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (Param param : run.data().params()) {
            params.put(param.key(), param.value());
        }
        return new Row(
                info.runId(),
                info.runName(),
                info.status(),
                info.startTime(),
                info.endTime().map(end -> Math.max(0, end - info.startTime())),
                info.userId(),
                metrics,
                params);
    }

    /** The badge class for a run status. */
    static String badge(String status) {
        return switch (status) {
            case "FINISHED" -> "badge ok";
            case "RUNNING", "SCHEDULED" -> "badge warn";
            default -> "badge bad";
        };
    }
}
