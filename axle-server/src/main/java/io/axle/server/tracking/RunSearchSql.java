package io.axle.server.tracking;

import io.axle.common.AxleException;
import io.axle.server.search.Comparison;
import io.axle.server.search.Identifier;
import io.axle.server.search.OrderBy;
import io.axle.server.search.SearchParser;
import io.axle.server.search.SqlClauses;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Translates a runs/search request into one SQL query over the runs of the given experiments: each filter clause
 * an EXISTS on its table (a run without the key does not match), each order a LEFT JOIN (a run without the key
 * comes last, both ways), ending in MLflow's order, start_time DESC then run id, so that pages never overlap.
 */
final class RunSearchSql {
    private static final Map<String, String> TEXT_ATTRIBUTES = Map.of(
            "run_name", "r.run_name",
            "run name", "r.run_name",
            "status", "r.status",
            "user_id", "r.user_id",
            "artifact_uri", "r.artifact_uri",
            "run_id", "r.run_uuid",
            "lifecycle_stage", "r.lifecycle_stage");
    private static final Map<String, String> TIME_ATTRIBUTES = Map.of(
            "start_time", "r.start_time",
            "created", "r.start_time",
            "end_time", "r.end_time");

    private RunSearchSql() {}

    static SqlSelect select(
            List<Long> experimentIds, String filter, ViewType viewType, List<String> orderBy, int offset, int limit) {
        SqlClauses clauses = new SqlClauses();
        List<String> conditions = new ArrayList<>();
        StringBuilder experiments = new StringBuilder();
        for (long id : experimentIds) {
            experiments.append(experiments.isEmpty() ? "" : ", ").append(clauses.bind(id));
        }
        conditions.add("r.experiment_id IN (" + experiments + ")");
        switch (viewType) {
            case ACTIVE_ONLY -> conditions.add("r.lifecycle_stage = 'active'");
            case DELETED_ONLY -> conditions.add("r.lifecycle_stage = 'deleted'");
            case ALL -> {}
        }
        for (Comparison comparison : SearchParser.parseFilter(filter)) {
            conditions.add(condition(clauses, comparison));
        }
        List<String> joins = new ArrayList<>();
        List<String> order = new ArrayList<>();
        boolean orderedByStartTime = false;
        boolean orderedByRunId = false;
        for (String clause : orderBy) {
            OrderBy parsed = SearchParser.parseOrderBy(clause);
            String alias = "o" + joins.size();
            Optional<String> column = attributeColumn(parsed.identifier());
            orderedByStartTime |= column.filter("r.start_time"::equals).isPresent();
            orderedByRunId |= column.filter("r.run_uuid"::equals).isPresent();
            order(clauses, parsed, alias, joins, order);
        }
        if (!orderedByStartTime) {
            order.add("r.start_time DESC");
        }
        if (!orderedByRunId) {
            order.add("r.run_uuid");
        }
        String sql = "SELECT r.run_uuid FROM runs r" + String.join("", joins) + " WHERE "
                + String.join(" AND ", conditions) + " ORDER BY " + String.join(", ", order) + " LIMIT "
                + clauses.bind(limit) + " OFFSET " + clauses.bind(offset);
        return new SqlSelect(sql, clauses.binds());
    }

    private static String condition(SqlClauses clauses, Comparison comparison) {
        Identifier identifier = comparison.identifier();
        return switch (identifier.entity()) {
            case Identifier.METRICS -> metric(clauses, comparison);
            case Identifier.PARAMS ->
                "EXISTS (SELECT 1 FROM params f WHERE f.run_uuid = r.run_uuid AND f.param_key = "
                        + clauses.bind(identifier.key()) + " AND "
                        + clauses.text("f.param_value", comparison, "a param")
                        + ")";
            case Identifier.TAGS ->
                "EXISTS (SELECT 1 FROM tags f WHERE f.run_uuid = r.run_uuid AND f.tag_key = "
                        + clauses.bind(identifier.key()) + " AND " + clauses.text("f.tag_value", comparison, "a tag")
                        + ")";
            case Identifier.ATTRIBUTES -> attribute(clauses, comparison);
            case Identifier.DATASETS -> dataset(clauses, comparison);
            default -> throw SqlClauses.invalid(comparison, "unknown entity type");
        };
    }

    private static String metric(SqlClauses clauses, Comparison comparison) {
        String key = clauses.bind(comparison.identifier().key());
        String value = clauses.number("f.metric_value", comparison, "a metric");
        // NaN equals nothing and differs from everything
        String test = comparison.operator() == io.axle.server.search.Operator.NOT_EQUAL
                ? "(f.is_nan = TRUE OR " + value + ")"
                : "f.is_nan = FALSE AND " + value;
        return "EXISTS (SELECT 1 FROM latest_metrics f WHERE f.run_uuid = r.run_uuid AND f.metric_key = " + key
                + " AND " + test + ")";
    }

    private static String attribute(SqlClauses clauses, Comparison comparison) {
        String key = comparison.identifier().key();
        String name = key.toLowerCase(Locale.ROOT);
        if (TEXT_ATTRIBUTES.containsKey(name)) {
            return clauses.text(TEXT_ATTRIBUTES.get(name), comparison, "attribute " + key);
        }
        if (TIME_ATTRIBUTES.containsKey(name)) {
            return clauses.integer(TIME_ATTRIBUTES.get(name), comparison, "attribute " + key);
        }
        throw SqlClauses.invalid(
                comparison,
                "unknown attribute; searchable attributes are run_name, status, user_id, "
                        + "artifact_uri, run_id, start_time, end_time and created");
    }

    private static String dataset(SqlClauses clauses, Comparison comparison) {
        String key = comparison.identifier().key().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "name", "digest" ->
                "EXISTS (SELECT 1 FROM inputs i JOIN datasets d ON d.dataset_uuid = i.dataset_uuid "
                        + "WHERE i.run_uuid = r.run_uuid AND " + clauses.text("d." + key, comparison, "datasets." + key)
                        + ")";
            case "context" ->
                "EXISTS (SELECT 1 FROM inputs i JOIN input_tags t ON t.input_uuid = i.input_uuid "
                        + "WHERE i.run_uuid = r.run_uuid AND t.tag_key = 'mlflow.data.context' AND "
                        + clauses.text("t.tag_value", comparison, "datasets.context") + ")";
            default -> throw SqlClauses.invalid(comparison, "datasets are searched by name, digest or context");
        };
    }

    private static void order(
            SqlClauses clauses, OrderBy orderBy, String alias, List<String> joins, List<String> order) {
        Identifier identifier = orderBy.identifier();
        String direction = orderBy.ascending() ? " ASC" : " DESC";
        switch (identifier.entity()) {
            case Identifier.METRICS -> {
                joins.add(" LEFT JOIN latest_metrics " + alias + " ON " + alias + ".run_uuid = r.run_uuid AND " + alias
                        + ".metric_key = " + clauses.bind(identifier.key()));
                order.add(
                        "CASE WHEN " + alias + ".run_uuid IS NULL THEN 2 WHEN " + alias + ".is_nan THEN 1 ELSE 0 END");
                order.add(alias + ".metric_value" + direction);
            }
            case Identifier.PARAMS ->
                keyValueOrder(clauses, "params", "param", identifier, alias, direction, joins, order);
            case Identifier.TAGS -> keyValueOrder(clauses, "tags", "tag", identifier, alias, direction, joins, order);
            case Identifier.ATTRIBUTES -> {
                String column = attributeColumn(identifier)
                        .orElseThrow(() -> AxleException.invalidParameter("Invalid order_by clause: unknown attribute '"
                                + identifier.key() + "'; runs are ordered by "
                                + "run_name, status, user_id, artifact_uri, run_id, start_time or end_time."));
                order.add("CASE WHEN " + column + " IS NULL THEN 1 ELSE 0 END");
                order.add(column + direction);
            }
            default ->
                throw AxleException.invalidParameter("Invalid order_by clause: runs cannot be ordered by "
                        + identifier.entity() + "; use metrics, params, tags or attributes.");
        }
    }

    private static void keyValueOrder(
            SqlClauses clauses,
            String table,
            String column,
            Identifier identifier,
            String alias,
            String direction,
            List<String> joins,
            List<String> order) {
        joins.add(" LEFT JOIN " + table + " " + alias + " ON " + alias + ".run_uuid = r.run_uuid AND " + alias + "."
                + column + "_key = " + clauses.bind(identifier.key()));
        order.add("CASE WHEN " + alias + ".run_uuid IS NULL THEN 1 ELSE 0 END");
        order.add(alias + "." + column + "_value" + direction);
    }

    private static Optional<String> attributeColumn(Identifier identifier) {
        if (!identifier.entity().equals(Identifier.ATTRIBUTES)) {
            return Optional.empty();
        }
        String name = identifier.key().toLowerCase(Locale.ROOT);
        return Optional.ofNullable(TEXT_ATTRIBUTES.getOrDefault(name, TIME_ATTRIBUTES.get(name)));
    }
}
