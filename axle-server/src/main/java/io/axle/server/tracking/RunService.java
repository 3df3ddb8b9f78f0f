package io.axle.server.tracking;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.axle.common.AxleException;
import io.axle.server.db.Database;
import io.axle.server.search.PageToken;
import io.axle.server.search.SqlSelect;
import io.axle.server.tracking.ExperimentDao.ExperimentRow;
import io.axle.server.tracking.RunDao.KeyValueRow;
import io.axle.server.tracking.RunDao.RunRow;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.jdbi.v3.core.Handle;

/** Runs: create, read, update, delete and restore; logging metrics, params, tags, models and inputs; search. */
public final class RunService {
    static final String RUN_NAME_TAG = "mlflow.runName";
    static final String LOGGED_MODELS_TAG = "mlflow.log-model.history";
    private static final int DEFAULT_MAX_RESULTS = 1000;
    private static final int MAX_HISTORY_PAGE = 25_000;
    private static final int MAX_RUNS_PER_BULK_HISTORY = 100;
    private static final int MAX_RESULTS_PER_RUN = 2500;

    private final Database database;
    private final InstantSource clock;
    private final RandomGenerator random;
    private final ObjectMapper modelJson = new ObjectMapper();

    public RunService(Database database, InstantSource clock, RandomGenerator random) {
        this.database = requireNonNull(database, "database is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
    }

    public Run create(
            String experimentId, String userId, Optional<String> runName, Optional<Long> startTime, List<Tag> tags) {
        tags.forEach(Validation::tag);
        String name = runName(runName, tags);
        Validation.runName(name);
        byte[] uuid = new byte[16];
        random.nextBytes(uuid);
        String runId = HexFormat.of().formatHex(uuid);
        return database.inTransaction(handle -> {
            ExperimentRow experiment = ExperimentService.requireActiveExperiment(handle, experimentId);
            RunDao runs = handle.attach(RunDao.class);
            String artifactUri = ArtifactUris.join(experiment.artifactLocation(), runId, "artifacts");
            runs.insert(
                    runId,
                    experiment.experimentId(),
                    name,
                    userId,
                    RunStatus.RUNNING.name(),
                    startTime.orElseGet(clock::millis),
                    artifactUri);
            Map<String, String> allTags = new TreeMap<>();
            tags.forEach(tag -> allTags.put(tag.key(), tag.value()));
            allTags.put(RUN_NAME_TAG, name);
            runs.setTags(runId, List.copyOf(allTags.keySet()), List.copyOf(allTags.values()));
            return RunLoader.load(handle, List.of(runId)).getFirst();
        });
    }

    private String runName(Optional<String> runName, List<Tag> tags) {
        Optional<String> tagged = tags.stream()
                .filter(tag -> tag.key().equals(RUN_NAME_TAG))
                .map(Tag::value)
                .reduce((first, second) -> second);
        Optional<String> given = runName.filter(name -> !name.isEmpty());
        if (given.isPresent() && tagged.isPresent() && !given.get().equals(tagged.get())) {
            throw AxleException.invalidParameter("Both 'run_name' argument and 'mlflow.runName' tag are specified, "
                    + "but with different values (run_name='" + given.get() + "', mlflow.runName='" + tagged.get()
                    + "').");
        }
        return given.or(() -> tagged.filter(name -> !name.isEmpty())).orElseGet(() -> RunNames.generate(random));
    }

    public Run get(String runId) {
        return database.withHandle(handle -> {
            requireRun(handle.attach(RunDao.class), runId);
            return RunLoader.load(handle, List.of(runId)).getFirst();
        });
    }

    /** The artifact URI of every run, deleted ones too: what the artifacts destination must keep. */
    public List<String> allArtifactUris() {
        return database.withHandle(handle -> handle.createQuery("SELECT artifact_uri FROM runs")
                .mapTo(String.class)
                .list());
    }

    /** The experiment the run belongs to, without loading its data: what permission checks need. */
    public String experimentId(String runId) {
        return Long.toString(database.withHandle(
                handle -> requireRun(handle.attach(RunDao.class), runId).experimentId()));
    }

    /** The run's artifact URI, for the artifact endpoints. */
    public String artifactUri(String runId) {
        return database.withHandle(
                handle -> requireRun(handle.attach(RunDao.class), runId).artifactUri());
    }

    public RunInfo update(String runId, Optional<String> status, Optional<Long> endTime, Optional<String> runName) {
        Optional<RunStatus> newStatus = status.map(RunStatus::parse);
        runName.ifPresent(Validation::runName);
        return database.inTransaction(handle -> {
            RunDao runs = handle.attach(RunDao.class);
            RunRow run = requireActiveRun(runs, runId);
            String name = runName.filter(value -> !value.isEmpty()).orElse(run.runName());
            runs.update(
                    runId, newStatus.map(RunStatus::name).orElse(run.status()), endTime.orElse(run.endTime()), name);
            if (!name.equals(run.runName())) {
                runs.setTags(runId, List.of(RUN_NAME_TAG), List.of(name));
            }
            return RunLoader.toInfo(runs.find(runId).orElseThrow());
        });
    }

    public void delete(String runId) {
        database.useTransaction(handle -> {
            RunDao runs = handle.attach(RunDao.class);
            requireRun(runs, runId);
            runs.setLifecycleStage(runId, LifecycleStage.DELETED, clock.millis());
        });
    }

    public void restore(String runId) {
        database.useTransaction(handle -> {
            RunDao runs = handle.attach(RunDao.class);
            requireRun(runs, runId);
            runs.setLifecycleStage(runId, LifecycleStage.ACTIVE, null);
        });
    }

    public void logMetric(String runId, Metric metric) {
        logBatch(runId, List.of(metric), List.of(), List.of());
    }

    public void logParam(String runId, Param param) {
        logBatch(runId, List.of(), List.of(param), List.of());
    }

    public void setTag(String runId, Tag tag) {
        logBatch(runId, List.of(), List.of(), List.of(tag));
    }

    /** Logs everything or nothing: a validation failure or a changed param rolls the whole batch back. */
    public void logBatch(String runId, List<Metric> metrics, List<Param> params, List<Tag> tags) {
        BatchLimits.check(metrics.size(), params.size(), tags.size());
        metrics.forEach(Validation::metric);
        params.forEach(Validation::param);
        tags.forEach(Validation::tag);
        Map<String, String> paramValues = distinctParams(params);
        Map<String, String> tagValues = new TreeMap<>();
        tags.forEach(tag -> tagValues.put(tag.key(), tag.value()));
        List<Metric> sortedMetrics = metrics.stream()
                .sorted(Comparator.comparing(Metric::key)
                        .thenComparingLong(Metric::timestamp)
                        .thenComparingLong(Metric::step)
                        .thenComparingDouble(Metric::value))
                .toList();
        database.useTransaction(handle -> {
            RunDao runs = handle.attach(RunDao.class);
            requireActiveRun(runs, runId);
            if (!paramValues.isEmpty()) {
                logParams(runs, runId, paramValues);
            }
            if (!sortedMetrics.isEmpty()) {
                logMetrics(handle, runId, sortedMetrics);
            }
            if (!tagValues.isEmpty()) {
                runs.setTags(runId, List.copyOf(tagValues.keySet()), List.copyOf(tagValues.values()));
                String newName = tagValues.get(RUN_NAME_TAG);
                if (newName != null) {
                    Validation.runName(newName);
                    runs.rename(runId, newName);
                }
            }
        });
    }

    private static Map<String, String> distinctParams(List<Param> params) {
        Map<String, String> values = new TreeMap<>();
        List<String> conflicting = new ArrayList<>();
        for (Param param : params) {
            String previous = values.putIfAbsent(param.key(), param.value());
            if (previous != null && !previous.equals(param.value())) {
                conflicting.add(param.key());
            }
        }
        if (!conflicting.isEmpty()) {
            throw AxleException.invalidParameter("Duplicate parameter keys have been submitted: " + conflicting
                    + ". Please ensure the request contains only one param value per param key.");
        }
        return values;
    }

    private static void logParams(RunDao runs, String runId, Map<String, String> values) {
        runs.insertParams(runId, List.copyOf(values.keySet()), List.copyOf(values.values()));
        for (KeyValueRow stored : runs.params(runId, values.keySet())) {
            String attempted = values.get(stored.entryKey());
            if (!stored.entryValue().equals(attempted)) {
                throw AxleException.invalidParameter("Changing param values is not allowed. Param with key='"
                        + stored.entryKey() + "' was already logged with value='" + stored.entryValue()
                        + "' for run ID='" + runId + "'. Attempted logging new value '" + attempted + "'.");
            }
        }
    }

    private static void logMetrics(Handle handle, String runId, List<Metric> metrics) {
        Map<String, Metric> latest = new TreeMap<>();
        for (Metric metric : metrics) {
            latest.merge(metric.key(), metric, (a, b) -> isMoreRecent(b, a) ? b : a);
        }
        MetricWriter.write(handle, runId, latest.values(), metrics);
    }

    private static boolean isMoreRecent(Metric candidate, Metric current) {
        if (candidate.step() != current.step()) {
            return candidate.step() > current.step();
        }
        if (candidate.timestamp() != current.timestamp()) {
            return candidate.timestamp() > current.timestamp();
        }
        return MetricWriter.storedValue(candidate) > MetricWriter.storedValue(current);
    }

    public void deleteTag(String runId, String key) {
        database.useTransaction(handle -> {
            RunDao runs = handle.attach(RunDao.class);
            requireActiveRun(runs, runId);
            if (runs.deleteTag(runId, key) == 0) {
                throw AxleException.notFound("No tag with name: " + key + " in run with id " + runId);
            }
        });
    }

    /** Records a logged model in the run's {@code mlflow.log-model.history} tag, as MLflow does. */
    public void logModel(String runId, String modelJsonText) {
        JsonNode model = parseModel(modelJsonText);
        database.useTransaction(handle -> {
            RunDao runs = handle.attach(RunDao.class);
            requireActiveRun(runs, runId);
            handle.createQuery("SELECT run_uuid FROM runs WHERE run_uuid = :runId FOR UPDATE")
                    .bind("runId", runId)
                    .mapTo(String.class)
                    .one();
            ArrayNode history =
                    runs.tag(runId, LOGGED_MODELS_TAG).map(this::parseHistory).orElseGet(modelJson::createArrayNode);
            history.add(model);
            Tag tag = new Tag(LOGGED_MODELS_TAG, history.toString());
            Validation.tag(tag);
            runs.setTags(runId, List.of(tag.key()), List.of(tag.value()));
        });
    }

    private JsonNode parseModel(String text) {
        JsonNode model;
        try {
            model = modelJson.readTree(text);
        } catch (JacksonException e) {
            throw AxleException.invalidParameter("Malformed model info. \n " + text + " \n is not a valid JSON.");
        }
        if (model == null || !model.isObject()) {
            throw AxleException.invalidParameter("Malformed model info: model_json must be a JSON object.");
        }
        List<String> missing = Set.of("artifact_path", "flavors", "utc_time_created", "run_id").stream()
                .filter(field -> !model.has(field))
                .sorted()
                .toList();
        if (!missing.isEmpty()) {
            throw AxleException.invalidParameter("Model json is missing mandatory fields: " + missing);
        }
        return model;
    }

    private ArrayNode parseHistory(String value) {
        try {
            JsonNode node = modelJson.readTree(value);
            return node instanceof ArrayNode array ? array : modelJson.createArrayNode();
        } catch (JacksonException e) {
            return modelJson.createArrayNode();
        }
    }

    public void logInputs(String runId, List<DatasetInput> inputs) {
        inputs.forEach(InputValidation::datasetInput);
        database.useTransaction(handle -> {
            RunRow run = requireActiveRun(handle.attach(RunDao.class), runId);
            InputDao dao = handle.attach(InputDao.class);
            for (DatasetInput input : inputs) {
                Dataset dataset = input.dataset();
                String datasetId = dao.findDataset(run.experimentId(), dataset.name(), dataset.digest())
                        .orElseGet(() -> {
                            String id = newUuid();
                            dao.insertDataset(
                                    id,
                                    run.experimentId(),
                                    dataset.name(),
                                    dataset.digest(),
                                    dataset.sourceType(),
                                    dataset.source(),
                                    dataset.schema().orElse(null),
                                    dataset.profile().orElse(null));
                            return id;
                        });
                if (dao.findInput(runId, datasetId).isEmpty()) {
                    String inputId = newUuid();
                    dao.insertInput(inputId, runId, datasetId);
                    Map<String, String> tags = new TreeMap<>();
                    input.tags().forEach(tag -> tags.put(tag.key(), tag.value()));
                    if (!tags.isEmpty()) {
                        dao.insertInputTags(inputId, List.copyOf(tags.keySet()), List.copyOf(tags.values()));
                    }
                }
            }
        });
    }

    private String newUuid() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String hex = HexFormat.of().formatHex(bytes);
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
    }

    public Page<Run> search(
            List<String> experimentIds,
            String filter,
            ViewType viewType,
            int maxResults,
            List<String> orderBy,
            Optional<String> pageToken) {
        int limit = Validation.maxResults(maxResults, DEFAULT_MAX_RESULTS);
        int offset = pageToken
                .filter(token -> !token.isEmpty())
                .map(PageToken::decode)
                .orElse(0);
        List<Long> experiments =
                experimentIds.stream().map(ExperimentService::parseId).toList();
        if (experiments.isEmpty()) {
            return new Page<>(List.of(), Optional.empty());
        }
        SqlSelect select = RunSearchSql.select(experiments, filter, viewType, orderBy, offset, limit + 1);
        return database.withHandle(handle -> {
            List<String> ids = handle.createQuery(select.sql())
                    .bindMap(select.binds())
                    .mapTo(String.class)
                    .list();
            boolean more = ids.size() > limit;
            List<Run> runs = RunLoader.load(handle, more ? ids.subList(0, limit) : ids);
            return new Page<>(runs, more ? Optional.of(PageToken.encode(offset + limit)) : Optional.empty());
        });
    }

    /** A metric's full history, or one page of it when a page size or token is given. */
    public Page<Metric> history(String runId, String key, Optional<Integer> maxResults, Optional<String> pageToken) {
        Optional<String> token = pageToken.filter(value -> !value.isEmpty());
        boolean paged = maxResults.isPresent() || token.isPresent();
        int limit = maxResults
                .map(value -> {
                    if (value <= 0 || value > MAX_HISTORY_PAGE) {
                        throw AxleException.invalidParameter("Invalid value " + value
                                + " for parameter 'max_results': it must be between 1 and " + MAX_HISTORY_PAGE + ".");
                    }
                    return value;
                })
                .orElse(paged ? MAX_HISTORY_PAGE : Integer.MAX_VALUE - 1);
        int offset = token.map(PageToken::decode).orElse(0);
        return database.withHandle(handle -> {
            RunDao runs = handle.attach(RunDao.class);
            requireRun(runs, runId);
            List<Metric> points = runs.history(runId, key, offset, limit + 1).stream()
                    .map(RunLoader::toMetric)
                    .toList();
            boolean more = points.size() > limit;
            return new Page<>(
                    more ? points.subList(0, limit) : points,
                    more ? Optional.of(PageToken.encode(offset + limit)) : Optional.empty());
        });
    }

    /**
     * Points of one metric across runs at sampled steps: at most {@code maxResults} steps spread evenly over the
     * range, plus each run's first and last step, as MLflow's charts ask for them.
     */
    public List<MetricWithRunId> historyBulkInterval(
            List<String> runIds,
            String key,
            Optional<Long> startStep,
            Optional<Long> endStep,
            Optional<Integer> maxResults) {
        if (runIds.isEmpty() || runIds.size() > MAX_RUNS_PER_BULK_HISTORY) {
            throw AxleException.invalidParameter("GetMetricHistoryBulkInterval request must specify between 1 and "
                    + MAX_RUNS_PER_BULK_HISTORY + " run_ids. Received " + runIds.size() + " run_ids.");
        }
        int perRun = maxResults.orElse(MAX_RESULTS_PER_RUN);
        if (perRun < 1 || perRun > MAX_RESULTS_PER_RUN) {
            throw AxleException.invalidParameter("max_results must be between 1 and " + MAX_RESULTS_PER_RUN + ".");
        }
        if (startStep.isPresent() != endStep.isPresent()) {
            throw AxleException.invalidParameter(
                    "If either start step or end step are specified, both must be specified.");
        }
        if (startStep.isPresent() && startStep.get() > endStep.get()) {
            throw AxleException.invalidParameter("end_step must be greater than start_step. Found start_step="
                    + startStep.get() + " and end_step=" + endStep.get() + ".");
        }
        return database.withHandle(handle -> {
            RunDao runs = handle.attach(RunDao.class);
            for (String runId : runIds) {
                requireRun(runs, runId);
            }
            List<Long> sampled = StepSampler.sample(runs, runIds, key, startStep, endStep, perRun);
            if (sampled.isEmpty()) {
                return List.of();
            }
            List<MetricWithRunId> points = new ArrayList<>();
            for (String runId : runIds) {
                for (RunDao.MetricRow row : runs.historyAtSteps(runId, key, sampled)) {
                    Metric metric = RunLoader.toMetric(row);
                    points.add(new MetricWithRunId(
                            metric.key(), metric.value(), metric.timestamp(), metric.step(), runId));
                }
            }
            return points;
        });
    }

    private static RunRow requireRun(RunDao runs, String runId) {
        return runs.find(runId).orElseThrow(() -> AxleException.notFound("Run with id=" + runId + " not found"));
    }

    private static RunRow requireActiveRun(RunDao runs, String runId) {
        RunRow run = requireRun(runs, runId);
        if (!run.lifecycleStage().equals(LifecycleStage.ACTIVE)) {
            throw AxleException.invalidParameter("The run " + runId
                    + " must be in the 'active' state. Current state is " + run.lifecycleStage() + ".");
        }
        return run;
    }
}
