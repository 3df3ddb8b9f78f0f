package io.axle.server.search;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** SQL selecting one page of ids, with named bind parameters. */
public record SqlSelect(String sql, Map<String, Object> binds) {
    public SqlSelect {
        requireNonNull(sql, "sql is null");
        binds = Map.copyOf(binds);
    }
}
