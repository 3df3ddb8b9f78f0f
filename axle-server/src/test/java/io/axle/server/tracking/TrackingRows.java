package io.axle.server.tracking;

import static java.util.Objects.requireNonNull;

import io.axle.server.db.Database;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Writes experiments and runs with plain SQL, as the search tests need them. */
final class TrackingRows {
    private final Database database;
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);

    TrackingRows(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    long experiment(String name) {
        long now = clock.incrementAndGet();
        return experiment(name, now, now, "active");
    }

    long experiment(String name, long creationTime, long lastUpdateTime, String lifecycleStage) {
        return database.inTransaction(handle -> handle.createUpdate("""
                        INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time)
                        VALUES (:name, :location, :stage, :created, :updated)""")
                .bind("name", name)
                .bind("location", "file:///artifacts/" + name)
                .bind("stage", lifecycleStage)
                .bind("created", creationTime)
                .bind("updated", lastUpdateTime)
                .executeAndReturnGeneratedKeys("experiment_id")
                .mapTo(Long.class)
                .one());
    }

    void experimentTag(long experimentId, String key, String value) {
        database.useTransaction(handle -> handle.createUpdate(
                        "INSERT INTO experiment_tags (experiment_id, tag_key, tag_value) VALUES (:id, :key, :value)")
                .bind("id", experimentId)
                .bind("key", key)
                .bind("value", value)
                .execute());
    }

    RunRow run(long experimentId) {
        return new RunRow(experimentId, clock.incrementAndGet());
    }

    /** A run to insert: fill in what the test is about, the rest has defaults. */
    final class RunRow {
        private final long experimentId;
        private String runId = UUID.randomUUID().toString().replace("-", "");
        private String name = "run";
        private String user = "alice";
        private String status = "FINISHED";
        private long startTime;
        private Optional<Long> endTime = Optional.empty();
        private String lifecycleStage = "active";
        private String artifactUri = "file:///artifacts/run";
        private final Map<String, Double> metrics = new LinkedHashMap<>();
        private final Map<String, String> params = new LinkedHashMap<>();
        private final Map<String, String> tags = new LinkedHashMap<>();
        private final List<String[]> datasets = new ArrayList<>();

        private RunRow(long experimentId, long startTime) {
            this.experimentId = experimentId;
            this.startTime = startTime;
        }

        RunRow id(String value) {
            runId = value;
            return this;
        }

        RunRow name(String value) {
            name = value;
            return this;
        }

        RunRow user(String value) {
            user = value;
            return this;
        }

        RunRow status(String value) {
            status = value;
            return this;
        }

        RunRow startTime(long value) {
            startTime = value;
            return this;
        }

        RunRow endTime(long value) {
            endTime = Optional.of(value);
            return this;
        }

        RunRow deleted() {
            lifecycleStage = "deleted";
            return this;
        }

        RunRow artifactUri(String value) {
            artifactUri = value;
            return this;
        }

        /** The latest value of a metric; NaN is stored as the service stores it, 0 with is_nan set. */
        RunRow metric(String key, double value) {
            metrics.put(key, value);
            return this;
        }

        RunRow param(String key, String value) {
            params.put(key, value);
            return this;
        }

        RunRow tag(String key, String value) {
            tags.put(key, value);
            return this;
        }

        /** An input of the dataset {@code name}/{@code digest}, with the context tag unless it is empty. */
        RunRow dataset(String datasetName, String digest, String context) {
            datasets.add(new String[] {datasetName, digest, context});
            return this;
        }

        String insert() {
            database.useTransaction(handle -> {
                handle.createUpdate("""
                                INSERT INTO runs (run_uuid, experiment_id, run_name, user_id, status, start_time,
                                                  end_time, lifecycle_stage, artifact_uri)
                                VALUES (:id, :experiment, :name, :user, :status, :start, :end, :stage, :uri)""")
                        .bind("id", runId)
                        .bind("experiment", experimentId)
                        .bind("name", name)
                        .bind("user", user)
                        .bind("status", status)
                        .bind("start", startTime)
                        .bind("end", endTime.orElse(null))
                        .bind("stage", lifecycleStage)
                        .bind("uri", artifactUri)
                        .execute();
                metrics.forEach((key, value) -> handle.createUpdate("""
                                INSERT INTO latest_metrics (run_uuid, metric_key, step, timestamp_ms, metric_value, is_nan)
                                VALUES (:id, :key, 0, 0, :value, :nan)""")
                        .bind("id", runId)
                        .bind("key", key)
                        .bind("value", Double.isNaN(value) ? 0 : value)
                        .bind("nan", Double.isNaN(value))
                        .execute());
                params.forEach((key, value) -> handle.createUpdate(
                                "INSERT INTO params (run_uuid, param_key, param_value) VALUES (:id, :key, :value)")
                        .bind("id", runId)
                        .bind("key", key)
                        .bind("value", value)
                        .execute());
                tags.forEach((key, value) -> handle.createUpdate(
                                "INSERT INTO tags (run_uuid, tag_key, tag_value) VALUES (:id, :key, :value)")
                        .bind("id", runId)
                        .bind("key", key)
                        .bind("value", value)
                        .execute());
                for (String[] dataset : datasets) {
                    String datasetId = UUID.randomUUID().toString();
                    String inputId = UUID.randomUUID().toString();
                    handle.createUpdate("""
                                    INSERT INTO datasets (dataset_uuid, experiment_id, name, digest, source_type, dataset_source)
                                    VALUES (:id, :experiment, :name, :digest, 'local', '{}')""")
                            .bind("id", datasetId)
                            .bind("experiment", experimentId)
                            .bind("name", dataset[0])
                            .bind("digest", dataset[1])
                            .execute();
                    handle.createUpdate(
                                    "INSERT INTO inputs (input_uuid, run_uuid, dataset_uuid) VALUES (:input, :run, :dataset)")
                            .bind("input", inputId)
                            .bind("run", runId)
                            .bind("dataset", datasetId)
                            .execute();
                    if (!dataset[2].isEmpty()) {
                        handle.createUpdate("""
                                        INSERT INTO input_tags (input_uuid, tag_key, tag_value)
                                        VALUES (:input, 'mlflow.data.context', :context)""")
                                .bind("input", inputId)
                                .bind("context", dataset[2])
                                .execute();
                    }
                }
            });
            return runId;
        }
    }
}
