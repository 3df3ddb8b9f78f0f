package io.axle.server.tracking;

import java.util.Map;

// TEMPORARY stub until the search branch lands.
record SqlSelect(String sql, Map<String, Object> binds) {}
