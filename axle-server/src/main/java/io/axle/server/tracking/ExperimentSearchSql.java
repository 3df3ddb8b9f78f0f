package io.axle.server.tracking;

import java.util.List;
import java.util.Map;

// TEMPORARY stub until the search branch lands.
final class ExperimentSearchSql {
    private ExperimentSearchSql() {}

    static SqlSelect select(String filter, ViewType viewType, List<String> orderBy, int offset, int limit) {
        String stage = switch (viewType) {
            case ACTIVE_ONLY -> " WHERE lifecycle_stage = 'active'";
            case DELETED_ONLY -> " WHERE lifecycle_stage = 'deleted'";
            case ALL -> "";
        };
        return new SqlSelect(
                "SELECT experiment_id FROM experiments" + stage
                        + " ORDER BY creation_time DESC, experiment_id LIMIT :limit OFFSET :offset",
                Map.of("limit", limit, "offset", offset));
    }
}
