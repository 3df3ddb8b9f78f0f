package io.axle.server.tracking;

import io.axle.server.tracking.InputDao.InputRow;
import io.axle.server.tracking.InputDao.InputTagRow;
import io.axle.server.tracking.RunDao.KeyValueRow;
import io.axle.server.tracking.RunDao.MetricRow;
import io.axle.server.tracking.RunDao.RunRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Loads whole runs (info, latest metrics, params, tags, inputs) for a list of ids, a few queries per 1000 runs. */
final class RunLoader {
    private static final int CHUNK = 1000;

    private RunLoader() {}

    /** The runs in the order of {@code runIds}; ids without a run are left out. */
    static List<Run> load(Handle handle, List<String> runIds) {
        List<Run> runs = new ArrayList<>(runIds.size());
        for (int start = 0; start < runIds.size(); start += CHUNK) {
            runs.addAll(loadChunk(handle, runIds.subList(start, Math.min(runIds.size(), start + CHUNK))));
        }
        return runs;
    }

    private static List<Run> loadChunk(Handle handle, List<String> runIds) {
        if (runIds.isEmpty()) {
            return List.of();
        }
        RunDao dao = handle.attach(RunDao.class);
        Map<String, RunRow> rows = new HashMap<>();
        dao.findAll(runIds).forEach(row -> rows.put(row.runUuid(), row));
        Map<String, List<Metric>> metrics = new HashMap<>();
        for (MetricRow row : dao.latestMetricsOf(runIds)) {
            metrics.computeIfAbsent(row.runUuid(), id -> new ArrayList<>()).add(toMetric(row));
        }
        Map<String, List<Param>> params = new HashMap<>();
        for (KeyValueRow row : dao.paramsOf(runIds)) {
            params.computeIfAbsent(row.runUuid(), id -> new ArrayList<>())
                    .add(new Param(row.entryKey(), row.entryValue()));
        }
        Map<String, List<Tag>> tags = new HashMap<>();
        for (KeyValueRow row : dao.tagsOf(runIds)) {
            tags.computeIfAbsent(row.runUuid(), id -> new ArrayList<>()).add(new Tag(row.entryKey(), row.entryValue()));
        }
        Map<String, List<DatasetInput>> inputs = loadInputs(handle, runIds);
        List<Run> runs = new ArrayList<>(runIds.size());
        for (String runId : runIds) {
            RunRow row = rows.get(runId);
            if (row != null) {
                runs.add(new Run(
                        toInfo(row),
                        new Run.Data(
                                metrics.getOrDefault(runId, List.of()),
                                params.getOrDefault(runId, List.of()),
                                tags.getOrDefault(runId, List.of())),
                        new Run.Inputs(inputs.getOrDefault(runId, List.of()))));
            }
        }
        return runs;
    }

    private static Map<String, List<DatasetInput>> loadInputs(Handle handle, List<String> runIds) {
        InputDao dao = handle.attach(InputDao.class);
        List<InputRow> rows = dao.inputsOf(runIds);
        if (rows.isEmpty()) {
            return Map.of();
        }
        Map<String, List<Tag>> tags = new HashMap<>();
        for (InputTagRow row : dao.inputTagsOf(runIds)) {
            tags.computeIfAbsent(row.inputUuid(), id -> new ArrayList<>()).add(new Tag(row.tagKey(), row.tagValue()));
        }
        Map<String, List<DatasetInput>> inputs = new HashMap<>();
        for (InputRow row : rows) {
            Dataset dataset = new Dataset(
                    row.name(),
                    row.digest(),
                    row.sourceType(),
                    row.datasetSource(),
                    Optional.ofNullable(row.datasetSchema()),
                    Optional.ofNullable(row.datasetProfile()));
            inputs.computeIfAbsent(row.runUuid(), id -> new ArrayList<>())
                    .add(new DatasetInput(tags.getOrDefault(row.inputUuid(), List.of()), dataset));
        }
        return inputs;
    }

    static RunInfo toInfo(RunRow row) {
        return new RunInfo(
                row.runUuid(),
                row.runUuid(),
                row.runName(),
                Long.toString(row.experimentId()),
                row.userId(),
                row.status(),
                row.startTime(),
                Optional.ofNullable(row.endTime()),
                row.artifactUri(),
                row.lifecycleStage());
    }

    static Metric toMetric(MetricRow row) {
        return new Metric(row.metricKey(), row.isNan() ? Double.NaN : row.metricValue(), row.timestampMs(), row.step());
    }
}
