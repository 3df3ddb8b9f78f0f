package io.axle.bench;

import io.axle.server.db.BackendStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Registered models and versions written with plain JDBC straight into the registry tables (V2__registry.sql), shaped
 * as the API leaves them, for seeding a search benchmark at a size the API would take hours to register: each version
 * READY with a storage key, each model's last_version set, a team tag on models and a tag on versions. They get no
 * registry events and no files on disk; search reads neither.
 */
final class RegistryRows {
    private static final int BATCH = 5_000;

    private RegistryRows() {}

    static String name(int model) {
        return "model-" + model;
    }

    /** A run id per version, unique, so that a run_id search finds exactly one version. */
    static String runId(int model, int version) {
        return String.format(Locale.ROOT, "%016x%016x", model, version);
    }

    /** Models {@code first} (inclusive) to {@code end} (exclusive), each with {@code versions} versions. */
    static void insert(BackendStore store, int first, int end, int versions, int teams) throws SQLException {
        try (Connection connection = DriverManager.getConnection(
                store.jdbcUrl(), store.user().orElse(null), store.password().orElse(null))) {
            connection.setAutoCommit(false);
            long now = System.currentTimeMillis();
            try (PreparedStatement models = connection.prepareStatement(
                    "INSERT INTO registered_models (name, creation_time, last_updated_time, description, user_id, "
                            + "last_version) VALUES (?, ?, ?, '', '', ?)")) {
                for (int model = first; model < end; model++) {
                    models.setString(1, name(model));
                    models.setLong(2, now + model);
                    models.setLong(3, now + model);
                    models.setLong(4, versions);
                    models.addBatch();
                    flush(connection, models, model - first + 1);
                }
                models.executeBatch();
                connection.commit();
            }
            Map<String, Long> ids = new HashMap<>();
            try (PreparedStatement select =
                            connection.prepareStatement("SELECT model_id, name FROM registered_models");
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.put(rows.getString(2), rows.getLong(1));
                }
            }
            try (PreparedStatement tags = connection.prepareStatement(
                            "INSERT INTO registered_model_tags (model_id, tag_key, tag_value) VALUES (?, 'team', ?)");
                    PreparedStatement rows = connection.prepareStatement(
                            "INSERT INTO model_versions (model_id, version, creation_time, last_updated_time, "
                                    + "description, user_id, current_stage, source, run_id, run_link, status, "
                                    + "status_message, storage_key) "
                                    + "VALUES (?, ?, ?, ?, '', '', 'None', ?, ?, '', 'READY', '', ?)");
                    PreparedStatement versionTags = connection.prepareStatement(
                            "INSERT INTO model_version_tags (model_id, version, tag_key, tag_value) "
                                    + "VALUES (?, ?, 'seed', 'jdbc')")) {
                int count = 0;
                for (int model = first; model < end; model++) {
                    long id = ids.get(name(model));
                    tags.setLong(1, id);
                    tags.setString(2, "team-" + model % teams);
                    tags.addBatch();
                    for (int version = 1; version <= versions; version++) {
                        String runId = runId(model, version);
                        rows.setLong(1, id);
                        rows.setLong(2, version);
                        rows.setLong(3, now + model);
                        rows.setLong(4, now + model);
                        rows.setString(5, "runs:/" + runId + "/model");
                        rows.setString(6, runId);
                        rows.setString(7, "models/" + name(model) + "/" + version);
                        rows.addBatch();
                        versionTags.setLong(1, id);
                        versionTags.setLong(2, version);
                        versionTags.addBatch();
                        count++;
                    }
                    if (count >= BATCH) {
                        tags.executeBatch();
                        rows.executeBatch();
                        versionTags.executeBatch();
                        connection.commit();
                        count = 0;
                    }
                }
                tags.executeBatch();
                rows.executeBatch();
                versionTags.executeBatch();
                connection.commit();
            }
            // fresh statistics, as autovacuum (PostgreSQL) or a reopen (H2) would soon gather after such a load;
            // without them the planner plans for empty tables
            try (Statement analyze = connection.createStatement()) {
                analyze.execute("ANALYZE");
            }
            connection.commit();
        }
    }

    private static void flush(Connection connection, PreparedStatement statement, int added) throws SQLException {
        if (added % BATCH == 0) {
            statement.executeBatch();
            connection.commit();
        }
    }
}
