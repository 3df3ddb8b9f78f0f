package io.axle.server.tracking;

import static java.util.Objects.requireNonNull;

import io.axle.server.search.Comparison;
import io.axle.server.search.EntityType;
import io.axle.server.search.Filter;
import io.axle.server.search.Identifier;
import io.axle.server.search.Operands;
import io.axle.server.search.OrderBy;
import io.axle.server.search.SqlParameters;
import io.axle.server.search.SqlSelect;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Translates MLflow's experiments/search (filter, view_type, order_by, page) into one SELECT of experiment ids, the
 * same text on H2 and PostgreSQL. Filters: {@code name} (string operators), {@code creation_time} and
 * {@code last_update_time} (numeric operators), {@code tags.<key>} (string operators; an experiment lacking the tag
 * does not match). Order: the given clauses on name, experiment_id, creation_time or last_update_time, then
 * experiment_id DESC as MLflow's tie-break; without clauses, MLflow's creation_time DESC, experiment_id ASC.
 */
final class ExperimentSearchSql {
    private static final Map<String, Attribute> FILTER_ATTRIBUTES = attributes(false);
    private static final Map<String, Attribute> ORDER_ATTRIBUTES = attributes(true);

    private final SqlParameters parameters = new SqlParameters();
    private final List<String> joins = new ArrayList<>();
    private final List<String> conditions = new ArrayList<>();
    private final Map<String, String> tagAliases = new LinkedHashMap<>();

    private ExperimentSearchSql() {}

    static SqlSelect select(String filter, ViewType viewType, List<String> orderBy, int offset, int limit) {
        requireNonNull(viewType, "viewType is null");
        requireNonNull(orderBy, "orderBy is null");
        ExperimentSearchSql sql = new ExperimentSearchSql();
        switch (viewType) {
            case ACTIVE_ONLY -> sql.conditions.add("e.lifecycle_stage = " + sql.parameters.bind("stage", "active"));
            case DELETED_ONLY -> sql.conditions.add("e.lifecycle_stage = " + sql.parameters.bind("stage", "deleted"));
            case ALL -> {}
        }
        sql.filter(Filter.parse(requireNonNull(filter, "filter is null")));
        return sql.build(ordering(orderBy), offset, limit);
    }

    private void filter(Filter filter) {
        for (Comparison comparison : filter.comparisons()) {
            Identifier identifier = comparison.identifier();
            Optional<EntityType> entity = EntityType.of(identifier);
            if (entity.isPresent() && entity.get() == EntityType.ATTRIBUTE) {
                attribute(filter, comparison);
            } else if (entity.isPresent() && entity.get() == EntityType.TAG) {
                tag(filter, comparison);
            } else {
                throw filter.invalid(
                        identifier.position(),
                        "experiments are searched by attributes and tags, not '"
                                + identifier.entity().orElse("") + "'; use name, creation_time, last_update_time"
                                + " or tags.<key>");
            }
        }
    }

    private void attribute(Filter filter, Comparison comparison) {
        Identifier identifier = comparison.identifier();
        Attribute attribute = FILTER_ATTRIBUTES.get(identifier.key());
        if (attribute == null) {
            throw filter.invalid(
                    identifier.position(),
                    "unknown experiment attribute '" + identifier.key() + "'; searchable attributes are "
                            + String.join(", ", FILTER_ATTRIBUTES.keySet()));
        }
        String field = "attribute " + identifier.key();
        Object operand = attribute.numeric()
                ? Operands.wholeNumber(filter, comparison, field)
                : Operands.text(filter, comparison, field);
        conditions.add(parameters.condition(attribute.column(), comparison.operator(), operand));
    }

    private void tag(Filter filter, Comparison comparison) {
        String key = comparison.identifier().key();
        Object operand = Operands.text(filter, comparison, "tag " + key);
        String alias = tagAliases.get(key);
        if (alias == null) {
            alias = "t" + tagAliases.size();
            tagAliases.put(key, alias);
            joins.add("JOIN experiment_tags " + alias + " ON " + alias + ".experiment_id = e.experiment_id AND " + alias
                    + ".tag_key = " + parameters.bind(key));
        }
        conditions.add(parameters.condition(alias + ".tag_value", comparison.operator(), operand));
    }

    private static List<String> ordering(List<String> clauses) {
        if (clauses.isEmpty()) {
            return List.of("e.creation_time DESC", "e.experiment_id ASC");
        }
        List<String> ordering = new ArrayList<>();
        boolean byId = false;
        for (String clause : clauses) {
            OrderBy orderBy = OrderBy.parse(requireNonNull(clause, "order_by clause is null"));
            Identifier identifier = orderBy.identifier();
            Optional<EntityType> entity = EntityType.of(identifier);
            Attribute attribute = ORDER_ATTRIBUTES.get(identifier.key());
            if (entity.isEmpty() || entity.get() != EntityType.ATTRIBUTE || attribute == null) {
                throw orderBy.invalid(
                        identifier.position(),
                        "experiments order by " + String.join(", ", ORDER_ATTRIBUTES.keySet()) + ", not '"
                                + identifier.describe() + "'");
            }
            byId |= attribute.column().equals("e.experiment_id");
            ordering.add(attribute.column() + (orderBy.ascending() ? " ASC" : " DESC"));
        }
        if (!byId) {
            ordering.add("e.experiment_id DESC");
        }
        return ordering;
    }

    private SqlSelect build(List<String> ordering, int offset, int limit) {
        String sql = "SELECT e.experiment_id\nFROM experiments e\n"
                + joins.stream().map(join -> join + "\n").collect(Collectors.joining())
                + (conditions.isEmpty() ? "" : "WHERE " + String.join("\n  AND ", conditions) + "\n")
                + "ORDER BY " + String.join(", ", ordering)
                + "\n" + parameters.limitOffset(offset, limit);
        return new SqlSelect(sql, parameters.values());
    }

    private static Map<String, Attribute> attributes(boolean forOrdering) {
        Map<String, Attribute> attributes = new LinkedHashMap<>();
        attributes.put("name", new Attribute("e.name", false));
        if (forOrdering) {
            attributes.put("experiment_id", new Attribute("e.experiment_id", true));
        }
        attributes.put("creation_time", new Attribute("e.creation_time", true));
        attributes.put("last_update_time", new Attribute("e.last_update_time", true));
        return Collections.unmodifiableMap(attributes);
    }

    /** A column of experiments a filter or order_by may name. */
    private record Attribute(String column, boolean numeric) {}
}
