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

/** Translates an experiments/search request into SQL, with MLflow's default order (newest first, then by id). */
final class ExperimentSearchSql {
    private static final Map<String, String> COLUMNS = Map.of(
            "name", "e.name",
            "experiment_id", "e.experiment_id",
            "creation_time", "e.creation_time",
            "last_update_time", "e.last_update_time");

    private ExperimentSearchSql() {}

    static SqlSelect select(String filter, ViewType viewType, List<String> orderBy, int offset, int limit) {
        SqlClauses clauses = new SqlClauses();
        List<String> conditions = new ArrayList<>();
        switch (viewType) {
            case ACTIVE_ONLY -> conditions.add("e.lifecycle_stage = 'active'");
            case DELETED_ONLY -> conditions.add("e.lifecycle_stage = 'deleted'");
            case ALL -> conditions.add("1 = 1");
        }
        for (Comparison comparison : SearchParser.parseFilter(filter)) {
            conditions.add(condition(clauses, comparison));
        }
        List<String> order = new ArrayList<>();
        boolean orderedById = false;
        List<String> clausesText = orderBy.isEmpty() ? List.of("creation_time DESC", "experiment_id ASC") : orderBy;
        for (String clause : clausesText) {
            OrderBy parsed = SearchParser.parseOrderBy(clause);
            String column = column(parsed.identifier());
            orderedById |= column.equals("e.experiment_id");
            order.add(column + (parsed.ascending() ? " ASC" : " DESC"));
        }
        if (!orderedById) {
            order.add("e.experiment_id DESC");
        }
        String sql = "SELECT e.experiment_id FROM experiments e WHERE " + String.join(" AND ", conditions)
                + " ORDER BY " + String.join(", ", order) + " LIMIT " + clauses.bind(limit) + " OFFSET "
                + clauses.bind(offset);
        return new SqlSelect(sql, clauses.binds());
    }

    private static String condition(SqlClauses clauses, Comparison comparison) {
        Identifier identifier = comparison.identifier();
        String key = identifier.key();
        return switch (identifier.entity()) {
            case Identifier.TAGS ->
                "EXISTS (SELECT 1 FROM experiment_tags f WHERE f.experiment_id = e.experiment_id AND "
                        + "f.tag_key = " + clauses.bind(key) + " AND "
                        + clauses.text("f.tag_value", comparison, "a tag")
                        + ")";
            case Identifier.ATTRIBUTES ->
                switch (key.toLowerCase(Locale.ROOT)) {
                    case "name" -> clauses.text("e.name", comparison, "the experiment name");
                    case "creation_time", "last_update_time", "experiment_id" ->
                        clauses.integer(COLUMNS.get(key.toLowerCase(Locale.ROOT)), comparison, "attribute " + key);
                    default ->
                        throw SqlClauses.invalid(
                                comparison,
                                "experiments are searched by name, experiment_id, creation_time, last_update_time or tags");
                };
            default ->
                throw SqlClauses.invalid(
                        comparison,
                        "experiments are searched by name, experiment_id, creation_time, last_update_time or tags");
        };
    }

    private static String column(Identifier identifier) {
        String column = identifier.entity().equals(Identifier.ATTRIBUTES)
                ? COLUMNS.get(identifier.key().toLowerCase(Locale.ROOT))
                : null;
        if (column == null) {
            throw AxleException.invalidParameter("Invalid order_by clause: experiments are ordered by name, "
                    + "experiment_id, creation_time or last_update_time, not '" + identifier.key() + "'.");
        }
        return column;
    }
}
