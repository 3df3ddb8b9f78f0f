package io.axle.server.db;

/** The SQL dialects Axle's schema runs on. H2 always runs in its PostgreSQL compatibility mode. */
public enum Dialect {
    H2,
    POSTGRESQL
}
