package io.axle.server.registry;

import static java.util.Objects.requireNonNull;

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
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Translates MLflow's registered-models/search and model-versions/search into one SELECT of ids, the same text on
 * H2 and PostgreSQL. Models filter on {@code name} and {@code tags.<key>} and order by name, creation or last update
 * time (default name ASC). Versions filter on {@code name}, {@code version_number}, {@code run_id},
 * {@code source_path}, {@code current_stage} and {@code tags.<key>}, and order by name, version_number, creation or
 * last update time (default last_updated_timestamp DESC, name ASC, version_number DESC). An entity lacking a tag
 * does not match a comparison on it.
 */
final class RegistrySearchSql {
    private static final Set<Operator> STRING =
            EnumSet.of(Operator.EQUAL, Operator.NOT_EQUAL, Operator.LIKE, Operator.ILIKE);
    private static final Set<Operator> ID =
            EnumSet.of(Operator.EQUAL, Operator.NOT_EQUAL, Operator.IN, Operator.NOT_IN);

    private final Entity entity;
    private final SqlParameters parameters = new SqlParameters();
    private final List<String> joins = new ArrayList<>();
    private final List<String> conditions = new ArrayList<>();
    private final Map<String, String> tagAliases = new LinkedHashMap<>();

    private RegistrySearchSql(Entity entity) {
        this.entity = entity;
    }

    /** Model ids, one page. */
    static SqlSelect models(String filter, List<String> orderBy, int offset, int limit) {
        return select(Entity.MODELS, filter, orderBy, offset, limit);
    }

    /** (model_id, version) pairs, one page. */
    static SqlSelect versions(String filter, List<String> orderBy, int offset, int limit) {
        return select(Entity.VERSIONS, filter, orderBy, offset, limit);
    }

    private static SqlSelect select(Entity entity, String filter, List<String> orderBy, int offset, int limit) {
        RegistrySearchSql sql = new RegistrySearchSql(entity);
        sql.filter(Filter.parse(requireNonNull(filter, "filter is null")));
        return sql.build(sql.ordering(requireNonNull(orderBy, "orderBy is null")), offset, limit);
    }

    private void filter(Filter filter) {
        for (Comparison comparison : filter.comparisons()) {
            Identifier identifier = comparison.identifier();
            Optional<EntityType> type = EntityType.of(identifier);
            if (type.isPresent() && type.get() == EntityType.ATTRIBUTE) {
                attribute(filter, comparison);
            } else if (type.isPresent() && type.get() == EntityType.TAG) {
                tag(filter, comparison);
            } else {
                throw filter.invalid(
                        identifier.position(),
                        entity.plural + " are searched by " + String.join(", ", entity.filterAttributes.keySet())
                                + " and tags.<key>, not '" + identifier.describe() + "'");
            }
        }
    }

    private void attribute(Filter filter, Comparison comparison) {
        Identifier identifier = comparison.identifier();
        Attribute attribute = entity.filterAttributes.get(identifier.key());
        if (attribute == null) {
            throw filter.invalid(
                    identifier.position(),
                    "unknown " + entity.singular + " attribute '" + identifier.key() + "'; searchable attributes are "
                            + String.join(", ", entity.filterAttributes.keySet()) + " and tags.<key>");
        }
        String field = "attribute " + identifier.key();
        Object operand = switch (attribute.kind()) {
            case NUMBER -> Operands.wholeNumber(filter, comparison, field);
            case STRING -> {
                Operands.requireOperator(filter, comparison, STRING, field);
                yield Operands.text(filter, comparison, field);
            }
            case ID -> {
                Operands.requireOperator(filter, comparison, ID, field);
                yield Operands.text(filter, comparison, field);
            }
        };
        conditions.add(parameters.condition(attribute.column(), comparison.operator(), operand));
    }

    private void tag(Filter filter, Comparison comparison) {
        String key = comparison.identifier().key();
        String field = "tag " + key;
        Operands.requireOperator(filter, comparison, STRING, field);
        Object operand = Operands.text(filter, comparison, field);
        String alias = tagAliases.get(key);
        if (alias == null) {
            alias = "t" + tagAliases.size();
            tagAliases.put(key, alias);
            joins.add(entity.tagJoin(alias) + " AND " + alias + ".tag_key = " + parameters.bind(key));
        }
        conditions.add(parameters.condition(alias + ".tag_value", comparison.operator(), operand));
    }

    private List<String> ordering(List<String> clauses) {
        if (clauses.isEmpty()) {
            return entity.defaultOrder;
        }
        List<String> ordering = new ArrayList<>();
        for (String clause : clauses) {
            OrderBy orderBy = OrderBy.parse(requireNonNull(clause, "order_by clause is null"));
            Identifier identifier = orderBy.identifier();
            Optional<EntityType> type = EntityType.of(identifier);
            Attribute attribute = entity.orderAttributes.get(identifier.key());
            if (type.isEmpty() || type.get() != EntityType.ATTRIBUTE || attribute == null) {
                throw orderBy.invalid(
                        identifier.position(),
                        entity.plural + " order by " + String.join(", ", entity.orderAttributes.keySet()) + ", not '"
                                + identifier.describe() + "'");
            }
            ordering.add(attribute.column() + (orderBy.ascending() ? " ASC" : " DESC"));
        }
        ordering.addAll(entity.tieBreak);
        return ordering;
    }

    private SqlSelect build(List<String> ordering, int offset, int limit) {
        String sql = "SELECT " + entity.selected + "\n" + entity.from + "\n"
                + joins.stream().map(join -> join + "\n").collect(Collectors.joining())
                + (conditions.isEmpty() ? "" : "WHERE " + String.join("\n  AND ", conditions) + "\n")
                + "ORDER BY " + String.join(", ", ordering)
                + "\n" + parameters.limitOffset(offset, limit);
        return new SqlSelect(sql, parameters.values());
    }

    private enum Kind {
        STRING,
        ID,
        NUMBER
    }

    private record Attribute(String column, Kind kind) {}

    private enum Entity {
        MODELS(
                "registered model",
                "registered models",
                "m.model_id",
                "FROM registered_models m",
                "JOIN registered_model_tags %1$s ON %1$s.model_id = m.model_id",
                Map.of("name", new Attribute("m.name", Kind.STRING)),
                orderAttributes(
                        "name", "m.name",
                        "timestamp", "m.last_updated_time",
                        "last_updated_timestamp", "m.last_updated_time",
                        "creation_timestamp", "m.creation_time"),
                List.of("m.name ASC"),
                List.of("m.name ASC")),
        VERSIONS(
                "model version",
                "model versions",
                "v.model_id, v.version",
                "FROM model_versions v JOIN registered_models m ON m.model_id = v.model_id",
                "JOIN model_version_tags %1$s ON %1$s.model_id = v.model_id AND %1$s.version = v.version",
                versionFilterAttributes(),
                orderAttributes(
                        "name", "m.name",
                        "version_number", "v.version",
                        "timestamp", "v.last_updated_time",
                        "last_updated_timestamp", "v.last_updated_time",
                        "creation_timestamp", "v.creation_time"),
                List.of("v.last_updated_time DESC", "m.name ASC", "v.version DESC"),
                List.of("m.name ASC", "v.version DESC"));

        private final String singular;
        private final String plural;
        private final String selected;
        private final String from;
        private final String tagJoin;
        private final Map<String, Attribute> filterAttributes;
        private final Map<String, Attribute> orderAttributes;
        private final List<String> defaultOrder;
        private final List<String> tieBreak;

        Entity(
                String singular,
                String plural,
                String selected,
                String from,
                String tagJoin,
                Map<String, Attribute> filterAttributes,
                Map<String, Attribute> orderAttributes,
                List<String> defaultOrder,
                List<String> tieBreak) {
            this.singular = singular;
            this.plural = plural;
            this.selected = selected;
            this.from = from;
            this.tagJoin = tagJoin;
            this.filterAttributes = filterAttributes;
            this.orderAttributes = orderAttributes;
            this.defaultOrder = defaultOrder;
            this.tieBreak = tieBreak;
        }

        String tagJoin(String alias) {
            return tagJoin.formatted(alias);
        }

        private static Map<String, Attribute> versionFilterAttributes() {
            Map<String, Attribute> attributes = new LinkedHashMap<>();
            attributes.put("name", new Attribute("m.name", Kind.STRING));
            attributes.put("version_number", new Attribute("v.version", Kind.NUMBER));
            attributes.put("run_id", new Attribute("v.run_id", Kind.ID));
            attributes.put("source_path", new Attribute("v.source", Kind.STRING));
            attributes.put("current_stage", new Attribute("v.current_stage", Kind.STRING));
            return attributes;
        }

        private static Map<String, Attribute> orderAttributes(String... namesAndColumns) {
            Map<String, Attribute> attributes = new LinkedHashMap<>();
            for (int i = 0; i < namesAndColumns.length; i += 2) {
                attributes.put(namesAndColumns[i], new Attribute(namesAndColumns[i + 1], Kind.STRING));
            }
            return attributes;
        }
    }
}
