package io.axle.server.tracking;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.server.db.Database;
import io.axle.server.search.PageToken;
import io.axle.server.search.SqlSelect;
import io.axle.server.tracking.ExperimentDao.ExperimentRow;
import io.axle.server.tracking.ExperimentDao.ExperimentTagRow;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Experiments: create, find, search, rename, delete and restore (with their runs), tags. */
public final class ExperimentService {
    public static final String DEFAULT_EXPERIMENT_ID = "0";
    static final String DEFAULT_EXPERIMENT_NAME = "Default";
    private static final int DEFAULT_MAX_RESULTS = 1000;

    private final Database database;
    private final String defaultArtifactRoot;
    private final InstantSource clock;

    public ExperimentService(Database database, String defaultArtifactRoot, InstantSource clock) {
        this.database = requireNonNull(database, "database is null");
        this.defaultArtifactRoot = requireNonNull(defaultArtifactRoot, "defaultArtifactRoot is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Creates MLflow's "Default" experiment (id 0) on a new database. */
    public void ensureDefaultExperiment() {
        database.useTransaction(handle -> {
            ExperimentDao experiments = handle.attach(ExperimentDao.class);
            if (experiments.find(0).isEmpty()) {
                experiments.insertDefault(
                        DEFAULT_EXPERIMENT_NAME,
                        ArtifactUris.join(defaultArtifactRoot, DEFAULT_EXPERIMENT_ID),
                        clock.millis());
            }
        });
    }

    public String create(String name, Optional<String> artifactLocation, List<Tag> tags) {
        Validation.experimentName(name);
        artifactLocation.ifPresent(ExperimentService::validateArtifactLocation);
        tags.forEach(Validation::experimentTag);
        return database.inTransaction(handle -> {
            ExperimentDao experiments = handle.attach(ExperimentDao.class);
            if (experiments.findByName(name).isPresent()) {
                throw AxleException.alreadyExists("Experiment(name=" + name + ") already exists.");
            }
            long id = experiments.insert(name, artifactLocation.orElse(""), clock.millis());
            if (artifactLocation.isEmpty()) {
                experiments.setArtifactLocation(id, ArtifactUris.join(defaultArtifactRoot, Long.toString(id)));
            }
            for (Tag tag : tags) {
                experiments.setTag(id, tag.key(), tag.value());
            }
            return Long.toString(id);
        });
    }

    public Experiment get(String experimentId) {
        long id = parseId(experimentId);
        return database.withHandle(handle -> {
            ExperimentDao experiments = handle.attach(ExperimentDao.class);
            ExperimentRow row = experiments.find(id).orElseThrow(() -> notFound(experimentId));
            return withTags(experiments, List.of(row)).getFirst();
        });
    }

    public Experiment getByName(String name) {
        return database.withHandle(handle -> {
            ExperimentDao experiments = handle.attach(ExperimentDao.class);
            ExperimentRow row = experiments
                    .findByName(name)
                    .orElseThrow(() -> AxleException.notFound("Could not find experiment with name '" + name + "'"));
            return withTags(experiments, List.of(row)).getFirst();
        });
    }

    public Page<Experiment> search(
            String filter, ViewType viewType, int maxResults, List<String> orderBy, Optional<String> pageToken) {
        int limit = Validation.maxResults(maxResults, DEFAULT_MAX_RESULTS);
        int offset = pageToken
                .filter(token -> !token.isEmpty())
                .map(PageToken::decode)
                .orElse(0);
        SqlSelect select = ExperimentSearchSql.select(filter, viewType, orderBy, offset, limit + 1);
        return database.withHandle(handle -> {
            List<Long> ids = handle.createQuery(select.sql())
                    .bindMap(select.binds())
                    .mapTo(Long.class)
                    .list();
            boolean more = ids.size() > limit;
            List<Long> page = more ? ids.subList(0, limit) : ids;
            ExperimentDao experiments = handle.attach(ExperimentDao.class);
            Map<Long, ExperimentRow> rows = new LinkedHashMap<>();
            page.forEach(id -> rows.put(id, null));
            if (!page.isEmpty()) {
                experiments.findAll(page).forEach(row -> rows.put(row.experimentId(), row));
            }
            List<Experiment> result = withTags(
                    experiments,
                    rows.values().stream().filter(row -> row != null).toList());
            return new Page<>(result, more ? Optional.of(PageToken.encode(offset + limit)) : Optional.empty());
        });
    }

    public void rename(String experimentId, String newName) {
        long id = parseId(experimentId);
        Validation.experimentName(newName);
        database.useTransaction(handle -> {
            ExperimentDao experiments = handle.attach(ExperimentDao.class);
            ExperimentRow row = experiments.findForUpdate(id).orElseThrow(() -> notFound(experimentId));
            if (!row.lifecycleStage().equals(LifecycleStage.ACTIVE)) {
                throw AxleException.invalidParameter("Cannot rename a non-active experiment.");
            }
            if (row.name().equals(newName)) {
                return;
            }
            if (experiments.findByName(newName).isPresent()) {
                throw AxleException.alreadyExists("Experiment(name=" + newName + ") already exists.");
            }
            experiments.rename(id, newName, clock.millis());
        });
    }

    /** Marks the experiment and its runs deleted; they stay restorable and their names stay taken. */
    public void delete(String experimentId) {
        setLifecycleStage(experimentId, LifecycleStage.DELETED);
    }

    public void restore(String experimentId) {
        setLifecycleStage(experimentId, LifecycleStage.ACTIVE);
    }

    private void setLifecycleStage(String experimentId, String stage) {
        long id = parseId(experimentId);
        database.useTransaction(handle -> {
            ExperimentDao experiments = handle.attach(ExperimentDao.class);
            ExperimentRow row = experiments.findForUpdate(id).orElseThrow(() -> notFound(experimentId));
            if (row.lifecycleStage().equals(stage)) {
                if (stage.equals(LifecycleStage.ACTIVE)) {
                    throw AxleException.invalidParameter("Cannot restore an active experiment.");
                }
                throw AxleException.invalidParameter("Cannot delete an already deleted experiment.");
            }
            long now = clock.millis();
            experiments.setLifecycleStage(id, stage, now);
            handle.attach(RunDao.class)
                    .setLifecycleStageOfExperiment(id, stage, stage.equals(LifecycleStage.DELETED) ? now : null);
        });
    }

    public void setTag(String experimentId, Tag tag) {
        long id = parseId(experimentId);
        Validation.experimentTag(tag);
        database.useTransaction(handle -> {
            ExperimentDao experiments = handle.attach(ExperimentDao.class);
            ExperimentRow row = experiments.findForUpdate(id).orElseThrow(() -> notFound(experimentId));
            requireActive(row);
            experiments.setTag(id, tag.key(), tag.value());
        });
    }

    public void deleteTag(String experimentId, String key) {
        long id = parseId(experimentId);
        database.useTransaction(handle -> {
            ExperimentDao experiments = handle.attach(ExperimentDao.class);
            ExperimentRow row = experiments.findForUpdate(id).orElseThrow(() -> notFound(experimentId));
            requireActive(row);
            if (experiments.deleteTag(id, key) == 0) {
                throw AxleException.notFound("No tag with name: " + key + " in experiment with id " + experimentId);
            }
        });
    }

    /** The experiment a new run goes into: it must exist and be active. */
    static ExperimentRow requireActiveExperiment(Handle handle, String experimentId) {
        ExperimentRow row = handle.attach(ExperimentDao.class)
                .find(parseId(experimentId))
                .orElseThrow(() -> notFound(experimentId));
        requireActive(row);
        return row;
    }

    static long parseId(String experimentId) {
        try {
            return Long.parseLong(experimentId.strip());
        } catch (NumberFormatException e) {
            throw AxleException.invalidParameter(
                    "Invalid experiment ID '" + experimentId + "': experiment IDs are integers such as '0' or '42'.");
        }
    }

    private static void requireActive(ExperimentRow row) {
        if (!row.lifecycleStage().equals(LifecycleStage.ACTIVE)) {
            throw AxleException.invalidParameter("The experiment " + row.experimentId()
                    + " must be in the 'active' state. Current state is " + row.lifecycleStage() + ".");
        }
    }

    private static AxleException notFound(String experimentId) {
        return AxleException.notFound("No Experiment with id=" + experimentId + " exists");
    }

    private static void validateArtifactLocation(String location) {
        for (String segment : location.split("[/\\\\]")) {
            if (segment.equals("..")) {
                throw AxleException.invalidParameter(
                        "Invalid artifact location '" + location + "': it must not contain '..' references.");
            }
        }
        if (location.indexOf('\0') >= 0) {
            throw AxleException.invalidParameter("Invalid artifact location: it contains a NUL character.");
        }
    }

    private static List<Experiment> withTags(ExperimentDao experiments, Collection<ExperimentRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<Long, List<Tag>> tags = new LinkedHashMap<>();
        for (ExperimentTagRow tag :
                experiments.tags(rows.stream().map(ExperimentRow::experimentId).toList())) {
            tags.computeIfAbsent(tag.experimentId(), id -> new ArrayList<>())
                    .add(new Tag(tag.tagKey(), tag.tagValue()));
        }
        return rows.stream()
                .map(row -> new Experiment(
                        Long.toString(row.experimentId()),
                        row.name(),
                        row.artifactLocation(),
                        row.lifecycleStage(),
                        row.lastUpdateTime(),
                        row.creationTime(),
                        tags.getOrDefault(row.experimentId(), List.of())))
                .toList();
    }
}
