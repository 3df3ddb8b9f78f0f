package io.axle.server.tracking;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

// TEMPORARY stub until the search branch lands.
final class RunSearchSql {
    private RunSearchSql() {}

    static SqlSelect select(
            List<Long> experimentIds, String filter, ViewType viewType, List<String> orderBy, int offset, int limit) {
        String stage = switch (viewType) {
            case ACTIVE_ONLY -> " AND lifecycle_stage = 'active'";
            case DELETED_ONLY -> " AND lifecycle_stage = 'deleted'";
            case ALL -> "";
        };
        Map<String, Object> binds = new HashMap<>();
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < experimentIds.size(); i++) {
            in.append(i == 0 ? ":e" : ", :e").append(i);
            binds.put("e" + i, experimentIds.get(i));
        }
        binds.put("limit", limit);
        binds.put("offset", offset);
        return new SqlSelect(
                "SELECT run_uuid FROM runs WHERE experiment_id IN (" + in + ")" + stage
                        + " ORDER BY start_time DESC, run_uuid LIMIT :limit OFFSET :offset",
                binds);
    }
}
