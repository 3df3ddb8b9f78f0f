package io.axle.server.tracking;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.server.search.Comparison;
import io.axle.server.search.EntityType;
import io.axle.server.search.Filter;
import io.axle.server.search.Identifier;
import io.axle.server.search.Operands;
import io.axle.server.search.Operator;
import io.axle.server.search.OrderBy;
import io.axle.server.search.SqlParameters;
import io.axle.server.search.SqlSelect;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Translates MLflow's runs/search (filter, run_view_type, order_by, page) into one SELECT of run ids, the same text
 * on H2 and PostgreSQL.
 *
 * <p>Each metric, param or tag a filter names is an inner join on its table's primary key (one row per run and key,
 * so no duplicates): a run lacking the key does not match, and {@code !=} matches only runs that have the key with
 * another value, as in MLflow. Joins rather than EXISTS let each database start from the most selective table. A
 * metric compares on its latest value; a NaN value equals nothing and differs from everything. Dataset filters are
 * EXISTS subqueries, since a run may have several inputs. Ordering is MLflow's: each order_by clause, runs lacking
 * the key last in both directions (for metrics: values, then NaN, then missing), then start_time DESC unless
 * ordered on, then run id, so that the order is total and offsets page without repeats or gaps.
 */
final class RunSearchSql {
    private static final String DATASET_CONTEXT_TAG = "mlflow.data.context";
    private static final Map<String, RunAttribute> FILTER_ATTRIBUTES = filterAttributes();
    private static final Map<String, RunAttribute> ORDER_ATTRIBUTES = orderAttributes();

    private final SqlParameters parameters = new SqlParameters();
    private final List<String> joins = new ArrayList<>();
    private final List<String> conditions = new ArrayList<>();
    private final List<String> ordering = new ArrayList<>();
    private final Map<KeyedTable, String> filterAliases = new LinkedHashMap<>();
    private int orderJoins;

    private RunSearchSql() {}

    static SqlSelect select(
            List<Long> experimentIds, String filter, ViewType viewType, List<String> orderBy, int offset, int limit) {
        requireNonNull(experimentIds, "experimentIds is null");
        requireNonNull(viewType, "viewType is null");
        requireNonNull(orderBy, "orderBy is null");
        RunSearchSql sql = new RunSearchSql();
        sql.scope(experimentIds, viewType);
        sql.filter(Filter.parse(requireNonNull(filter, "filter is null")));
        sql.orderBy(orderBy);
        return sql.build(offset, limit);
    }

    private void scope(List<Long> experimentIds, ViewType viewType) {
        if (experimentIds.isEmpty()) {
            conditions.add("1 = 0");
        } else {
            List<String> placeholders = new ArrayList<>();
            for (int i = 0; i < experimentIds.size(); i++) {
                placeholders.add(parameters.bind("experiment" + i, experimentIds.get(i)));
            }
            conditions.add("r.experiment_id IN (" + String.join(", ", placeholders) + ")");
        }
        switch (viewType) {
            case ACTIVE_ONLY -> conditions.add("r.lifecycle_stage = " + parameters.bind("stage", "active"));
            case DELETED_ONLY -> conditions.add("r.lifecycle_stage = " + parameters.bind("stage", "deleted"));
            case ALL -> {}
        }
    }

    private void filter(Filter filter) {
        for (Comparison comparison : filter.comparisons()) {
            Identifier identifier = comparison.identifier();
            EntityType entity = EntityType.of(identifier).orElseThrow(() -> unknownEntity(filter, identifier));
            switch (entity) {
                case ATTRIBUTE -> attribute(filter, comparison);
                case METRIC -> metric(filter, comparison);
                case PARAM -> keyedValue(filter, comparison, KeyedTable.Kind.PARAM);
                case TAG -> keyedValue(filter, comparison, KeyedTable.Kind.TAG);
                case DATASET -> dataset(filter, comparison);
            }
        }
    }

    private static AxleException unknownEntity(Filter filter, Identifier identifier) {
        return filter.invalid(
                identifier.position(),
                "unknown entity type '" + identifier.entity().orElse("") + "'; use metrics, params, tags,"
                        + " attributes or datasets");
    }

    private void attribute(Filter filter, Comparison comparison) {
        Identifier identifier = comparison.identifier();
        RunAttribute attribute = FILTER_ATTRIBUTES.get(identifier.key());
        if (attribute == null) {
            throw filter.invalid(
                    identifier.position(),
                    "unknown attribute '" + identifier.key() + "'; searchable attributes are "
                            + String.join(", ", FILTER_ATTRIBUTES.keySet()));
        }
        String field = "attribute " + identifier.key();
        Object operand = attribute.numeric()
                ? Operands.wholeNumber(filter, comparison, field)
                : Operands.text(filter, comparison, field);
        conditions.add(parameters.condition(attribute.column(), comparison.operator(), operand));
    }

    private void metric(Filter filter, Comparison comparison) {
        double value = Operands.number(
                filter, comparison, "metric " + comparison.identifier().key());
        String alias = filterJoin(
                new KeyedTable(KeyedTable.Kind.METRIC, comparison.identifier().key()));
        String column = alias + ".metric_value";
        // NaN equals nothing and differs from everything, as in MLflow, whatever number the row keeps for it.
        conditions.add(
                comparison.operator() == Operator.NOT_EQUAL
                        ? "(" + alias + ".is_nan = TRUE OR " + parameters.condition(column, Operator.NOT_EQUAL, value)
                                + ")"
                        : alias + ".is_nan = FALSE AND " + parameters.condition(column, comparison.operator(), value));
    }

    private void keyedValue(Filter filter, Comparison comparison, KeyedTable.Kind kind) {
        String key = comparison.identifier().key();
        Object operand = Operands.text(filter, comparison, kind.description() + " " + key);
        String alias = filterJoin(new KeyedTable(kind, key));
        conditions.add(parameters.condition(alias + "." + kind.valueColumn(), comparison.operator(), operand));
    }

    private String filterJoin(KeyedTable table) {
        String alias = filterAliases.get(table);
        if (alias == null) {
            alias = "f" + filterAliases.size();
            filterAliases.put(table, alias);
            joins.add(table.join("JOIN", alias, parameters));
        }
        return alias;
    }

    private void dataset(Filter filter, Comparison comparison) {
        String key = comparison.identifier().key();
        Object operand = Operands.text(filter, comparison, "dataset " + key);
        switch (key) {
            case "name", "digest" ->
                conditions.add("EXISTS (SELECT 1 FROM inputs i JOIN datasets d ON d.dataset_uuid = i.dataset_uuid"
                        + " WHERE i.run_uuid = r.run_uuid AND "
                        + parameters.condition("d." + key, comparison.operator(), operand) + ")");
            case "context" ->
                conditions.add("EXISTS (SELECT 1 FROM inputs i JOIN input_tags t ON t.input_uuid = i.input_uuid"
                        + " WHERE i.run_uuid = r.run_uuid AND t.tag_key = " + parameters.bind(DATASET_CONTEXT_TAG)
                        + " AND " + parameters.condition("t.tag_value", comparison.operator(), operand) + ")");
            default ->
                throw filter.invalid(
                        comparison.identifier().position(),
                        "unknown dataset field '" + key + "'; use datasets.name, datasets.digest or datasets.context");
        }
    }

    private void orderBy(List<String> clauses) {
        Set<String> seen = new HashSet<>();
        for (String clause : clauses) {
            OrderBy orderBy = OrderBy.parse(requireNonNull(clause, "order_by clause is null"));
            String field = order(orderBy);
            if (!seen.add(field)) {
                throw orderBy.invalid(orderBy.identifier().position(), "order_by names " + field + " more than once");
            }
        }
        if (!seen.contains("attribute start_time")) {
            ordering.add("r.start_time DESC");
        }
        if (!seen.contains("attribute run_id")) {
            ordering.add("r.run_uuid ASC");
        }
    }

    /** Adds the ordering of one clause and returns the field it orders by, in MLflow's name for it. */
    private String order(OrderBy orderBy) {
        Identifier identifier = orderBy.identifier();
        String direction = orderBy.ascending() ? " ASC" : " DESC";
        EntityType entity = EntityType.of(identifier)
                .orElseThrow(() -> orderBy.invalid(
                        identifier.position(),
                        "unknown entity type '" + identifier.entity().orElse("")
                                + "'; order by metrics, params, tags or attributes"));
        return switch (entity) {
            case ATTRIBUTE -> {
                RunAttribute attribute = ORDER_ATTRIBUTES.get(identifier.key());
                if (attribute == null) {
                    throw orderBy.invalid(
                            identifier.position(),
                            "unknown attribute '" + identifier.key() + "'; runs order by "
                                    + String.join(", ", ORDER_ATTRIBUTES.keySet()));
                }
                ordering.add(attribute.column() + direction + (attribute.nullable() ? " NULLS LAST" : ""));
                yield "attribute " + attribute.name();
            }
            case METRIC -> {
                String alias = orderJoin(new KeyedTable(KeyedTable.Kind.METRIC, identifier.key()));
                // MLflow's order in both directions: values, then NaN, then runs without the metric.
                ordering.add(
                        "CASE WHEN " + alias + ".run_uuid IS NULL THEN 2 WHEN " + alias + ".is_nan THEN 1 ELSE 0 END");
                ordering.add(alias + ".metric_value" + direction);
                yield "metric " + identifier.key();
            }
            case PARAM, TAG -> {
                KeyedTable.Kind kind = entity == EntityType.PARAM ? KeyedTable.Kind.PARAM : KeyedTable.Kind.TAG;
                String alias = orderJoin(new KeyedTable(kind, identifier.key()));
                ordering.add(alias + "." + kind.valueColumn() + direction + " NULLS LAST");
                yield kind.description() + " " + identifier.key();
            }
            case DATASET ->
                throw orderBy.invalid(
                        identifier.position(),
                        "runs cannot be ordered by datasets; order by metrics, params, tags or attributes");
        };
    }

    // A key the filter already joins is there for every run left, so ordering reuses that join.
    private String orderJoin(KeyedTable table) {
        String alias = filterAliases.get(table);
        if (alias == null) {
            alias = "o" + orderJoins++;
            joins.add(table.join("LEFT JOIN", alias, parameters));
        }
        return alias;
    }

    private SqlSelect build(int offset, int limit) {
        String sql = "SELECT r.run_uuid\nFROM runs r\n"
                + joins.stream().map(join -> join + "\n").collect(Collectors.joining())
                + "WHERE " + String.join("\n  AND ", conditions)
                + "\nORDER BY " + String.join(", ", ordering)
                + "\n" + parameters.limitOffset(offset, limit);
        return new SqlSelect(sql, parameters.values());
    }

    private static Map<String, RunAttribute> filterAttributes() {
        Map<String, RunAttribute> attributes = new LinkedHashMap<>(orderAttributes());
        // MLflow's aliases for the run name in filters (not in order_by).
        attributes.put("run name", attributes.get("run_name"));
        attributes.put("Run name", attributes.get("run_name"));
        attributes.put("Run Name", attributes.get("run_name"));
        return Collections.unmodifiableMap(attributes);
    }

    private static Map<String, RunAttribute> orderAttributes() {
        Map<String, RunAttribute> attributes = new LinkedHashMap<>();
        attributes.put("run_id", new RunAttribute("run_id", "r.run_uuid", false, false));
        attributes.put("run_name", new RunAttribute("run_name", "r.run_name", false, false));
        attributes.put("status", new RunAttribute("status", "r.status", false, false));
        attributes.put("user_id", new RunAttribute("user_id", "r.user_id", false, false));
        attributes.put("artifact_uri", new RunAttribute("artifact_uri", "r.artifact_uri", false, false));
        attributes.put("start_time", new RunAttribute("start_time", "r.start_time", true, false));
        attributes.put("end_time", new RunAttribute("end_time", "r.end_time", true, true));
        // MLflow's aliases of start_time.
        attributes.put("created", attributes.get("start_time"));
        attributes.put("Created", attributes.get("start_time"));
        return Collections.unmodifiableMap(attributes);
    }

    /** A column of runs a filter or order_by may name. */
    private record RunAttribute(String name, String column, boolean numeric, boolean nullable) {}

    /** One key of metrics (their latest values), params or tags: a table with one row per run and key. */
    private record KeyedTable(Kind kind, String key) {
        enum Kind {
            METRIC("latest_metrics", "metric_key", "metric_value", "metric"),
            PARAM("params", "param_key", "param_value", "param"),
            TAG("tags", "tag_key", "tag_value", "tag");

            private final String table;
            private final String keyColumn;
            private final String valueColumn;
            private final String description;

            Kind(String table, String keyColumn, String valueColumn, String description) {
                this.table = table;
                this.keyColumn = keyColumn;
                this.valueColumn = valueColumn;
                this.description = description;
            }

            String valueColumn() {
                return valueColumn;
            }

            String description() {
                return description;
            }
        }

        String join(String joinType, String alias, SqlParameters parameters) {
            return joinType + " " + kind.table + " " + alias + " ON " + alias + ".run_uuid = r.run_uuid AND " + alias
                    + "." + kind.keyColumn + " = " + parameters.bind(key);
        }
    }
}
