package io.axle.server.tracking;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** SQL selecting one page of ids, with named bind parameters. */
record SqlSelect(String sql, Map<String, Object> binds) {
    SqlSelect {
        requireNonNull(sql, "sql is null");
        binds = Map.copyOf(binds);
    }
}
