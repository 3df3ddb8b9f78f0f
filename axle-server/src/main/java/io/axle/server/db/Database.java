package io.axle.server.db;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import java.sql.SQLException;
import java.util.Comparator;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/** The metadata database: a connection pool, its schema brought up to date, and transactions that retry. */
public final class Database implements AutoCloseable {
    private static final int MAX_ATTEMPTS = 8;

    private final BackendStore store;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final H2Commits h2Commits;

    private Database(BackendStore store, HikariDataSource dataSource) {
        this.store = requireNonNull(store, "store is null");
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin());
        this.h2Commits = new H2Commits(jdbi);
    }

    /** Connects, migrates the schema, and refuses a database written by a newer Axle. */
    public static Database open(BackendStore store, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(store.jdbcUrl());
        store.user().ifPresent(config::setUsername);
        store.password().ifPresent(config::setPassword);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(2, poolSize));
        config.setPoolName("axle-db");
        config.setInitializationFailTimeout(5_000);
        config.setConnectionTimeout(30_000);
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            throw new AxleException(
                    ErrorCode.TEMPORARILY_UNAVAILABLE,
                    "Cannot connect to the backend store " + store.describe() + ": " + rootMessage(e),
                    e);
        }
        try {
            migrate(store, dataSource);
            if (store.dialect() == Dialect.H2) {
                keepH2FileCompact(dataSource);
            }
            return new Database(store, dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    private static void migrate(BackendStore store, HikariDataSource dataSource) {
        Flyway flyway;
        try {
            flyway = Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .table("axle_schema_history")
                    .baselineOnMigrate(false)
                    .load();
            refuseNewerSchema(store, flyway);
            flyway.migrate();
        } catch (org.flywaydb.core.api.FlywayException e) {
            throw new AxleException(
                    ErrorCode.TEMPORARILY_UNAVAILABLE,
                    "Cannot prepare the backend store " + store.describe() + ": " + rootMessage(e),
                    e);
        }
    }

    // Each acknowledged commit writes a chunk to the file (H2Commits); H2 keeps replaced chunks for 45 s by default
    // against a power loss it cannot survive anyway without an fsync, and a busy server's file grows by gigabytes.
    private static void keepH2FileCompact(HikariDataSource dataSource) {
        try (var connection = dataSource.getConnection();
                var statement = connection.createStatement()) {
            statement.execute("SET RETENTION_TIME 1000");
        } catch (SQLException e) {
            throw new AxleException(
                    ErrorCode.TEMPORARILY_UNAVAILABLE, "Cannot configure the H2 database: " + e.getMessage(), e);
        }
    }

    private static void refuseNewerSchema(BackendStore store, Flyway flyway) {
        MigrationVersion known = java.util.Arrays.stream(flyway.info().all())
                .filter(info -> info.getState().isResolved())
                .map(MigrationInfo::getVersion)
                .max(Comparator.naturalOrder())
                .orElse(MigrationVersion.EMPTY);
        java.util.Arrays.stream(flyway.info().applied())
                .map(MigrationInfo::getVersion)
                .filter(version -> version != null && version.compareTo(known) > 0)
                .max(Comparator.naturalOrder())
                .ifPresent(newer -> {
                    throw new AxleException(
                            ErrorCode.INVALID_STATE,
                            "The database " + store.describe() + " was written by a newer Axle (schema version "
                                    + newer + "; this Axle knows up to " + known
                                    + "). Upgrade Axle, or point --backend-store-uri at another database.");
                });
    }

    public Dialect dialect() {
        return store.dialect();
    }

    public String describe() {
        return store.describe();
    }

    /**
     * Runs {@code work} in one transaction, again from the start when the database reports a conflict with a
     * concurrent transaction (serialization failure, deadlock, lock timeout, or a unique key taken in between).
     */
    public <T> T inTransaction(HandleCallback<T, RuntimeException> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(work);
            } catch (JdbiException e) {
                if (attempt >= MAX_ATTEMPTS || !isTransient(e)) {
                    throw e;
                }
                backOff(attempt);
            }
        }
    }

    private <T> T attempt(HandleCallback<T, RuntimeException> work) {
        return switch (store.dialect()) {
            case POSTGRESQL -> jdbi.inTransaction(work);
            case H2 -> h2Commits.write(() -> jdbi.inTransaction(work));
        };
    }

    /** Runs read-only {@code work} on one connection. */
    public <T> T withHandle(HandleCallback<T, RuntimeException> work) {
        return jdbi.withHandle(work);
    }

    /** Runs read-only {@code work} in one transaction that sees one consistent snapshot of the database. */
    public <T> T inSnapshot(HandleCallback<T, RuntimeException> work) {
        return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, work);
    }

    public void useTransaction(java.util.function.Consumer<Handle> work) {
        inTransaction(handle -> {
            work.accept(handle);
            return null;
        });
    }

    private static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                // 40001 serialization failure, 40P01 deadlock, 23505 unique violation,
                // HYT00 H2 lock timeout, 90131 H2 concurrent update
                return state.equals("40001")
                        || state.equals("40P01")
                        || state.equals("23505")
                        || state.equals("HYT00")
                        || state.equals("90131");
            }
        }
        return false;
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(1, 5 << Math.min(attempt, 6)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AxleException(ErrorCode.TEMPORARILY_UNAVAILABLE, "Interrupted while retrying a transaction", e);
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
