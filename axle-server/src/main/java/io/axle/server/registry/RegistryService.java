package io.axle.server.registry;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.server.artifacts.ArtifactService;
import io.axle.server.db.Database;
import io.axle.server.events.EventLog;
import io.axle.server.events.EventType;
import io.axle.server.events.NewEvent;
import io.axle.server.http.Actors;
import io.axle.server.registry.ModelDao.ModelRow;
import io.axle.server.registry.VersionDao.VersionRow;
import io.axle.server.search.PageToken;
import io.axle.server.search.SqlSelect;
import io.axle.server.tracking.Page;
import io.axle.server.tracking.RunService;
import io.axle.server.tracking.Tag;
import io.axle.storage.BlobKey;
import io.axle.storage.BlobStore;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model registry: registered models and their versions, stages, aliases and tags, with every change recorded
 * in the {@link EventLog} in the change's own transaction. A new version's files are copied into registry storage
 * ({@code models/<name>/<version>} in the artifacts destination) and digested; the version is READY only once the
 * copy is complete, so what a version serves never changes and never depends on its run.
 */
public final class RegistryService implements AutoCloseable {
    public static final int DEFAULT_MODEL_RESULTS = 100;
    public static final int MAX_MODEL_RESULTS = 1000;
    public static final int DEFAULT_VERSION_RESULTS = 10_000;
    public static final int MAX_VERSION_RESULTS = 200_000;
    private static final Logger log = LoggerFactory.getLogger(RegistryService.class);

    private final Database database;
    private final EventLog events;
    private final ModelStorage storage;
    private final ArtifactService artifacts;
    private final RunService runs;
    private final InstantSource clock;
    private final Duration registrationWait;
    private final ExecutorService copies = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * @param registrationWait how long model-versions/create waits for the copy before it answers with a version
     *     that is still PENDING_REGISTRATION (clients then poll, as MLflow's do)
     */
    public RegistryService(
            Database database,
            EventLog events,
            BlobStore store,
            ArtifactService artifacts,
            RunService runs,
            InstantSource clock,
            Duration registrationWait) {
        this.database = requireNonNull(database, "database is null");
        this.events = requireNonNull(events, "events is null");
        this.storage = new ModelStorage(requireNonNull(store, "store is null"));
        this.artifacts = requireNonNull(artifacts, "artifacts is null");
        this.runs = requireNonNull(runs, "runs is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.registrationWait = requireNonNull(registrationWait, "registrationWait is null");
    }

    // ---- registered models

    public RegisteredModel createModel(String name, List<Tag> tags, Optional<String> description, String actor) {
        RegistryValidation.modelName(name);
        tags.forEach(RegistryValidation::tag);
        RegistryValidation.description(description);
        return database.inTransaction(handle -> {
            ModelDao models = handle.attach(ModelDao.class);
            if (models.findByName(name).isPresent()) {
                throw AxleException.alreadyExists("Registered Model (name=" + name + ") already exists.");
            }
            long id = models.insert(name, clock.millis(), description.orElse(""), userId(actor));
            for (Tag tag : tags) {
                models.setTag(id, tag.key(), tag.value());
            }
            events.append(handle, NewEvent.of(EventType.MODEL_CREATED, name, actor, Map.of()));
            return model(handle, requireModel(models, name));
        });
    }

    public RegisteredModel getModel(String name) {
        requireName(name);
        return database.withHandle(handle -> model(handle, requireModel(handle.attach(ModelDao.class), name)));
    }

    public RegisteredModel renameModel(String name, String newName, String actor) {
        requireName(name);
        RegistryValidation.modelName(newName);
        return database.inTransaction(handle -> {
            ModelDao models = handle.attach(ModelDao.class);
            ModelRow model = requireModelForUpdate(models, name);
            if (!newName.equals(name) && models.findByName(newName).isPresent()) {
                throw AxleException.alreadyExists("Registered Model (name=" + newName + ") already exists.");
            }
            models.rename(model.modelId(), newName, clock.millis());
            events.append(handle, NewEvent.of(EventType.MODEL_RENAMED, newName, actor, Map.of("previous_name", name)));
            return model(handle, requireModel(models, newName));
        });
    }

    public RegisteredModel updateModel(String name, Optional<String> description, String actor) {
        requireName(name);
        RegistryValidation.description(description);
        return database.inTransaction(handle -> {
            ModelDao models = handle.attach(ModelDao.class);
            ModelRow model = requireModelForUpdate(models, name);
            if (description.isPresent()) {
                models.setDescription(model.modelId(), description.get(), clock.millis());
                events.append(
                        handle,
                        NewEvent.of(EventType.MODEL_UPDATED, name, actor, Map.of("description", description.get())));
            }
            return model(handle, requireModel(models, name));
        });
    }

    /** Deletes the model, its versions, tags and aliases, then the registry's copies of its files. */
    public void deleteModel(String name, String actor) {
        requireName(name);
        List<String> storageKeys = database.inTransaction(handle -> {
            ModelDao models = handle.attach(ModelDao.class);
            ModelRow model = requireModelForUpdate(models, name);
            List<VersionRow> versions = handle.attach(VersionDao.class).ofModel(model.modelId());
            models.delete(model.modelId());
            events.append(
                    handle,
                    NewEvent.of(
                            EventType.MODEL_DELETED,
                            name,
                            actor,
                            Map.of(
                                    "versions",
                                    versions.stream()
                                            .map(version -> Long.toString(version.version()))
                                            .toList())));
            return versions.stream().map(VersionRow::storageKey).toList();
        });
        storageKeys.forEach(key -> storage.delete(BlobKey.of(key)));
    }

    public Page<RegisteredModel> searchModels(
            String filter, int maxResults, List<String> orderBy, Optional<String> pageToken) {
        int limit = maxResults(maxResults, DEFAULT_MODEL_RESULTS, MAX_MODEL_RESULTS, "registered models");
        int offset = offset(pageToken);
        SqlSelect select = RegistrySearchSql.models(filter, orderBy, offset, limit + 1);
        return database.withHandle(handle -> {
            List<Long> ids = handle.createQuery(select.sql())
                    .bindMap(select.binds())
                    .mapTo(Long.class)
                    .list();
            boolean more = ids.size() > limit;
            List<Long> page = more ? ids.subList(0, limit) : ids;
            Map<Long, ModelRow> rows = new LinkedHashMap<>();
            if (!page.isEmpty()) {
                Map<Long, ModelRow> found = new HashMap<>();
                handle.attach(ModelDao.class).findAll(page).forEach(row -> found.put(row.modelId(), row));
                page.forEach(id -> rows.put(id, found.get(id)));
            }
            List<RegisteredModel> models = RegistryReader.models(handle, new ArrayList<>(rows.values()));
            return new Page<>(models, nextPage(more, offset, limit));
        });
    }

    /** The latest version in each of {@code stages} (all stages when empty), in stage order. */
    public List<ModelVersion> latestVersions(String name, List<String> stages) {
        requireName(name);
        List<Stage> wanted = stages.isEmpty()
                ? List.of(Stage.values())
                : stages.stream().map(Stage::parse).distinct().toList();
        return database.withHandle(handle -> {
            ModelRow model = requireModel(handle.attach(ModelDao.class), name);
            VersionDao versions = handle.attach(VersionDao.class);
            List<VersionRow> latest = new ArrayList<>();
            for (Stage stage : wanted) {
                versions.latestInStage(model.modelId(), stage.text()).ifPresent(latest::add);
            }
            return RegistryReader.versions(handle, latest);
        });
    }

    public void setModelTag(String name, Tag tag, String actor) {
        requireName(name);
        RegistryValidation.tag(tag);
        database.useTransaction(handle -> {
            ModelDao models = handle.attach(ModelDao.class);
            ModelRow model = requireModelForUpdate(models, name);
            models.setTag(model.modelId(), tag.key(), tag.value());
            models.touch(model.modelId(), clock.millis());
            events.append(
                    handle,
                    NewEvent.of(EventType.MODEL_TAG_SET, name, actor, Map.of("key", tag.key(), "value", tag.value())));
        });
    }

    public void deleteModelTag(String name, String key, String actor) {
        requireName(name);
        database.useTransaction(handle -> {
            ModelDao models = handle.attach(ModelDao.class);
            ModelRow model = requireModelForUpdate(models, name);
            if (models.deleteTag(model.modelId(), key) == 0) {
                throw AxleException.notFound("Registered model '" + name + "' has no tag '" + key + "'.");
            }
            models.touch(model.modelId(), clock.millis());
            events.append(handle, NewEvent.of(EventType.MODEL_TAG_DELETED, name, actor, Map.of("key", key)));
        });
    }

    // ---- aliases

    /** Points {@code alias} at {@code version}, moving it from the version it pointed at before. */
    public void setAlias(String name, String alias, String version, String actor) {
        requireName(name);
        RegistryValidation.alias(alias);
        long number = RegistryValidation.version(version);
        database.useTransaction(handle -> {
            ModelDao models = handle.attach(ModelDao.class);
            ModelRow model = requireModelForUpdate(models, name);
            VersionRow target = requireVersion(handle, model, number);
            requireNotFailed(target);
            Optional<Long> previous = models.aliasVersion(model.modelId(), alias);
            if (previous.isPresent() && previous.get() == number) {
                return;
            }
            models.setAlias(model.modelId(), alias, number);
            models.touch(model.modelId(), clock.millis());
            NewEvent event = previous.isPresent()
                    ? NewEvent.of(
                            EventType.ALIAS_MOVED,
                            name,
                            actor,
                            Map.of("from_version", previous.get().toString(), "to_version", version))
                    : NewEvent.of(EventType.ALIAS_SET, name, actor, Map.of("to_version", Long.toString(number)));
            events.append(handle, event.withVersion(number).withAlias(alias));
        });
    }

    public void deleteAlias(String name, String alias, String actor) {
        requireName(name);
        database.useTransaction(handle -> {
            ModelDao models = handle.attach(ModelDao.class);
            ModelRow model = requireModelForUpdate(models, name);
            Optional<Long> previous = models.aliasVersion(model.modelId(), alias);
            if (previous.isEmpty()) {
                throw AxleException.notFound("Registered model alias " + alias + " not found.");
            }
            models.deleteAlias(model.modelId(), alias);
            models.touch(model.modelId(), clock.millis());
            events.append(
                    handle,
                    NewEvent.of(
                                    EventType.ALIAS_DELETED,
                                    name,
                                    actor,
                                    Map.of("from_version", previous.get().toString()))
                            .withVersion(previous.get())
                            .withAlias(alias));
        });
    }

    public ModelVersion versionByAlias(String name, String alias) {
        requireName(name);
        return database.withHandle(handle -> {
            ModelDao models = handle.attach(ModelDao.class);
            ModelRow model = requireModel(models, name);
            long version = models.aliasVersion(model.modelId(), alias)
                    .orElseThrow(() -> AxleException.notFound(
                            "Registered model alias " + alias + " not found for model '" + name + "'."));
            return RegistryReader.versions(handle, List.of(requireVersion(handle, model, version)))
                    .getFirst();
        });
    }

    // ---- model versions

    /**
     * Registers a new version of {@code request.name()}: records it PENDING_REGISTRATION, copies the source's files
     * into registry storage, and answers once the copy is done or {@code registrationWait} has passed.
     */
    public ModelVersion createVersion(NewVersion request, String actor) {
        requireName(request.name());
        request.tags().forEach(RegistryValidation::tag);
        RegistryValidation.description(request.description());
        if (request.source().isEmpty()) {
            throw AxleException.invalidParameter("Missing value for required parameter 'source'.");
        }
        if (request.source().length() > RegistryValidation.MAX_SOURCE_LENGTH) {
            throw AxleException.invalidParameter(
                    "Model version source is " + request.source().length() + " characters long; the limit is "
                            + RegistryValidation.MAX_SOURCE_LENGTH + ".");
        }
        Optional<String> runId = request.runId().filter(id -> !id.isEmpty()).or(() -> runOf(request.source()));
        runId.ifPresent(runs::artifactUri);
        BlobKey source = locateSource(request.source());
        if (storage.filesOf(source).isEmpty()) {
            throw AxleException.invalidParameter("Model source '" + RegistryValidation.printable(request.source())
                    + "' holds no files; log the model to the run (or upload it) before registering it.");
        }
        VersionRow created = database.inTransaction(handle -> {
            ModelDao models = handle.attach(ModelDao.class);
            VersionDao versions = handle.attach(VersionDao.class);
            ModelRow model = requireModelForUpdate(models, request.name());
            long now = clock.millis();
            models.advanceVersion(model.modelId(), now);
            long version = models.lastVersion(model.modelId());
            versions.insert(
                    model.modelId(),
                    version,
                    now,
                    now,
                    request.description().orElse(""),
                    userId(actor),
                    Stage.NONE.text(),
                    request.source(),
                    runId.orElse(""),
                    request.runLink().orElse(""),
                    VersionStatus.PENDING_REGISTRATION.name(),
                    "",
                    freeStorageKey(versions, model.name(), version));
            for (Tag tag : request.tags()) {
                versions.setTag(model.modelId(), version, tag.key(), tag.value());
            }
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("source", request.source());
            runId.ifPresent(id -> payload.put("run_id", id));
            events.append(
                    handle,
                    NewEvent.of(EventType.VERSION_CREATED, model.name(), actor, payload)
                            .withVersion(version));
            return versions.find(model.modelId(), version).orElseThrow();
        });
        Future<?> copy = copies.submit(() -> register(created, source, actor));
        awaitRegistration(copy);
        return getVersion(created.name(), Long.toString(created.version()));
    }

    private void awaitRegistration(Future<?> copy) {
        try {
            copy.get(registrationWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // the copy goes on; the client polls model-versions/get until READY, as MLflow's clients do
        } catch (ExecutionException e) {
            log.warn("Model registration failed unexpectedly", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Copies a PENDING version's files into registry storage and marks it READY, or FAILED with the reason. */
    private void register(VersionRow version, BlobKey source, String actor) {
        BlobKey target = BlobKey.of(version.storageKey());
        List<ModelFile> files;
        try {
            files = storage.copy(source, target);
        } catch (RuntimeException e) {
            log.warn(
                    "Could not copy version {} of model '{}' into registry storage: {}",
                    version.version(),
                    version.name(),
                    e.getMessage());
            deleteQuietly(target);
            finish(version, VersionStatus.FAILED_REGISTRATION, failureMessage(e), List.of(), actor);
            return;
        }
        if (!finish(version, VersionStatus.READY, "", files, actor)) {
            // deleted while it was being copied
            deleteQuietly(target);
        }
    }

    private boolean finish(
            VersionRow version, VersionStatus status, String message, List<ModelFile> files, String actor) {
        return database.inTransaction(handle -> {
            VersionDao versions = handle.attach(VersionDao.class);
            Optional<VersionRow> current = versions.find(version.modelId(), version.version());
            if (current.isEmpty() || !current.get().status().equals(VersionStatus.PENDING_REGISTRATION.name())) {
                return false;
            }
            versions.deleteFiles(version.modelId(), version.version());
            if (!files.isEmpty()) {
                versions.insertFiles(
                        version.modelId(),
                        version.version(),
                        files.stream().map(ModelFile::path).toList(),
                        files.stream().map(ModelFile::size).toList(),
                        files.stream().map(ModelFile::sha256).toList());
            }
            versions.setStatus(version.modelId(), version.version(), status.name(), message, clock.millis());
            Map<String, Object> payload = new LinkedHashMap<>();
            if (status == VersionStatus.READY) {
                payload.put("files", files.size());
                payload.put("bytes", files.stream().mapToLong(ModelFile::size).sum());
            } else {
                payload.put("message", message);
            }
            EventType type = status == VersionStatus.READY ? EventType.VERSION_READY : EventType.VERSION_FAILED;
            events.append(
                    handle,
                    NewEvent.of(type, current.get().name(), actor, payload).withVersion(version.version()));
            return true;
        });
    }

    /** Restarts the copies that a stopped server left PENDING_REGISTRATION; returns how many. */
    public int resumePendingRegistrations() {
        List<VersionRow> pending =
                database.withHandle(handle -> handle.attach(VersionDao.class).pending());
        for (VersionRow version : pending) {
            copies.submit(() -> {
                try {
                    register(version, locateSource(version.source()), Actors.ANONYMOUS);
                } catch (RuntimeException e) {
                    finish(version, VersionStatus.FAILED_REGISTRATION, failureMessage(e), List.of(), "axle");
                }
            });
        }
        return pending.size();
    }

    public ModelVersion getVersion(String name, String version) {
        requireName(name);
        long number = RegistryValidation.version(version);
        return database.withHandle(handle -> {
            ModelRow model = requireModel(handle.attach(ModelDao.class), name);
            return RegistryReader.versions(handle, List.of(requireVersion(handle, model, number)))
                    .getFirst();
        });
    }

    public ModelVersion updateVersion(String name, String version, Optional<String> description, String actor) {
        requireName(name);
        long number = RegistryValidation.version(version);
        RegistryValidation.description(description);
        return database.inTransaction(handle -> {
            ModelRow model = requireModelForUpdate(handle.attach(ModelDao.class), name);
            requireVersion(handle, model, number);
            if (description.isPresent()) {
                handle.attach(VersionDao.class)
                        .setDescription(model.modelId(), number, description.get(), clock.millis());
                events.append(
                        handle,
                        NewEvent.of(EventType.VERSION_UPDATED, name, actor, Map.of("description", description.get()))
                                .withVersion(number));
            }
            return RegistryReader.versions(handle, List.of(requireVersion(handle, model, number)))
                    .getFirst();
        });
    }

    /** Deletes the version (its aliases go with it), then the registry's copy of its files. */
    public void deleteVersion(String name, String version, String actor) {
        requireName(name);
        long number = RegistryValidation.version(version);
        String storageKey = database.inTransaction(handle -> {
            ModelDao models = handle.attach(ModelDao.class);
            ModelRow model = requireModelForUpdate(models, name);
            VersionRow row = requireVersion(handle, model, number);
            List<String> aliases = models.aliases(List.of(model.modelId())).stream()
                    .filter(alias -> alias.version() == number)
                    .map(ModelDao.AliasRow::alias)
                    .toList();
            handle.attach(VersionDao.class).delete(model.modelId(), number);
            models.touch(model.modelId(), clock.millis());
            events.append(
                    handle,
                    NewEvent.of(
                                    EventType.VERSION_DELETED,
                                    name,
                                    actor,
                                    Map.of("stage", row.currentStage(), "aliases", aliases))
                            .withVersion(number));
            return row.storageKey();
        });
        storage.delete(BlobKey.of(storageKey));
    }

    public Page<ModelVersion> searchVersions(
            String filter, int maxResults, List<String> orderBy, Optional<String> pageToken) {
        int limit = maxResults(maxResults, DEFAULT_VERSION_RESULTS, MAX_VERSION_RESULTS, "model versions");
        int offset = offset(pageToken);
        SqlSelect select = RegistrySearchSql.versions(filter, orderBy, offset, limit + 1);
        return database.withHandle(handle -> {
            List<long[]> keys = handle.createQuery(select.sql())
                    .bindMap(select.binds())
                    .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
                    .list();
            boolean more = keys.size() > limit;
            List<long[]> page = more ? keys.subList(0, limit) : keys;
            VersionDao versions = handle.attach(VersionDao.class);
            List<VersionRow> rows = new ArrayList<>(page.size());
            for (long[] key : page) {
                versions.find(key[0], key[1]).ifPresent(rows::add);
            }
            return new Page<>(RegistryReader.versions(handle, rows), nextPage(more, offset, limit));
        });
    }

    /**
     * Moves a version to {@code stage}; with {@code archiveExisting} (to Staging or Production only), the other
     * versions in that stage move to Archived, each with its own event.
     */
    public ModelVersion transitionStage(
            String name, String version, String stage, boolean archiveExisting, String actor) {
        requireName(name);
        long number = RegistryValidation.version(version);
        Stage target = Stage.parse(stage);
        if (archiveExisting && target != Stage.STAGING && target != Stage.PRODUCTION) {
            throw AxleException.invalidParameter("Model version transition cannot archive existing model versions "
                    + "because '" + target.text() + "' is not an Active stage. Valid stages are Staging, Production.");
        }
        return database.inTransaction(handle -> {
            ModelRow model = requireModelForUpdate(handle.attach(ModelDao.class), name);
            VersionDao versions = handle.attach(VersionDao.class);
            VersionRow row = requireVersion(handle, model, number);
            requireNotFailed(row);
            long now = clock.millis();
            if (archiveExisting) {
                for (VersionRow other : versions.ofModel(model.modelId())) {
                    if (other.version() != number && other.currentStage().equals(target.text())) {
                        versions.setStage(model.modelId(), other.version(), Stage.ARCHIVED.text(), now);
                        events.append(handle, transition(name, other, Stage.ARCHIVED, actor));
                    }
                }
            }
            if (!row.currentStage().equals(target.text())) {
                versions.setStage(model.modelId(), number, target.text(), now);
                handle.attach(ModelDao.class).touch(model.modelId(), now);
                events.append(handle, transition(name, row, target, actor));
            }
            return RegistryReader.versions(handle, List.of(requireVersion(handle, model, number)))
                    .getFirst();
        });
    }

    private static NewEvent transition(String name, VersionRow version, Stage to, String actor) {
        return NewEvent.of(
                        EventType.STAGE_TRANSITIONED,
                        name,
                        actor,
                        Map.of("from_stage", version.currentStage(), "to_stage", to.text()))
                .withVersion(version.version())
                .withStage(to.text());
    }

    /** Where a client downloads the version's files: the registry's copy. */
    public String downloadUri(String name, String version) {
        VersionRow row = readyVersion(name, RegistryValidation.version(version));
        return artifacts.uriOf(BlobKey.of(row.storageKey()));
    }

    public void setVersionTag(String name, String version, Tag tag, String actor) {
        requireName(name);
        long number = RegistryValidation.version(version);
        RegistryValidation.tag(tag);
        database.useTransaction(handle -> {
            ModelRow model = requireModelForUpdate(handle.attach(ModelDao.class), name);
            requireVersion(handle, model, number);
            VersionDao versions = handle.attach(VersionDao.class);
            versions.setTag(model.modelId(), number, tag.key(), tag.value());
            versions.touch(model.modelId(), number, clock.millis());
            events.append(
                    handle,
                    NewEvent.of(EventType.VERSION_TAG_SET, name, actor, Map.of("key", tag.key(), "value", tag.value()))
                            .withVersion(number));
        });
    }

    public void deleteVersionTag(String name, String version, String key, String actor) {
        requireName(name);
        long number = RegistryValidation.version(version);
        database.useTransaction(handle -> {
            ModelRow model = requireModelForUpdate(handle.attach(ModelDao.class), name);
            requireVersion(handle, model, number);
            VersionDao versions = handle.attach(VersionDao.class);
            if (versions.deleteTag(model.modelId(), number, key) == 0) {
                throw AxleException.notFound(
                        "Version " + number + " of registered model '" + name + "' has no tag '" + key + "'.");
            }
            versions.touch(model.modelId(), number, clock.millis());
            events.append(
                    handle,
                    NewEvent.of(EventType.VERSION_TAG_DELETED, name, actor, Map.of("key", key))
                            .withVersion(number));
        });
    }

    // ---- model URIs

    /** What a model URI names, with the files to download and their digests. */
    public ResolvedModel resolve(String uri) {
        ModelUri parsed = ModelUri.parse(uri);
        if (parsed instanceof ModelUri.RunPath runPath) {
            BlobKey key = locateSource(uri);
            List<ModelFile> files = storage.digest(key);
            if (files.isEmpty()) {
                throw AxleException.notFound("No files at '" + runPath.path() + "' in run " + runPath.runId());
            }
            return new ResolvedModel(
                    uri,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    List.of(),
                    Optional.of(runPath.runId()),
                    uri,
                    artifacts.uriOf(key),
                    files,
                    files.stream().mapToLong(ModelFile::size).sum());
        }
        return database.withHandle(handle -> {
            VersionRow row = versionOf(handle, parsed);
            requireReady(row);
            ModelVersion version = RegistryReader.versions(handle, List.of(row)).getFirst();
            List<ModelFile> files = handle.attach(VersionDao.class).files(row.modelId(), row.version());
            return new ResolvedModel(
                    uri,
                    Optional.of(version.name()),
                    Optional.of(version.version()),
                    Optional.of(version.currentStage()),
                    version.aliases(),
                    version.runId(),
                    version.source(),
                    artifacts.uriOf(BlobKey.of(row.storageKey())),
                    files,
                    files.stream().mapToLong(ModelFile::size).sum());
        });
    }

    /** The version a {@code models:/} URI names, and the files of its registry copy. */
    VersionFiles versionFiles(String name, String version) {
        long number = RegistryValidation.version(version);
        requireName(name);
        return database.withHandle(handle -> {
            ModelRow model = requireModel(handle.attach(ModelDao.class), name);
            VersionRow row = requireVersion(handle, model, number);
            return new VersionFiles(
                    RegistryReader.versions(handle, List.of(row)).getFirst(),
                    handle.attach(VersionDao.class).files(row.modelId(), row.version()),
                    artifacts.uriOf(BlobKey.of(row.storageKey())));
        });
    }

    /** A version with its registry copy's files and where they are downloaded from. */
    record VersionFiles(ModelVersion version, List<ModelFile> files, String artifactUri) {}

    /** The storage keys of every version's registry copy, for finding what nothing references. */
    public List<String> storageKeys() {
        return database.withHandle(handle -> handle.attach(VersionDao.class).storageKeys());
    }

    private VersionRow versionOf(Handle handle, ModelUri uri) {
        return switch (uri) {
            case ModelUri.ByVersion byVersion -> {
                ModelRow model = requireModel(handle.attach(ModelDao.class), byVersion.name());
                yield requireVersion(handle, model, byVersion.version());
            }
            case ModelUri.ByStage byStage -> {
                ModelRow model = requireModel(handle.attach(ModelDao.class), byStage.name());
                yield handle.attach(VersionDao.class)
                        .latestInStage(model.modelId(), byStage.stage().text())
                        .orElseThrow(() -> AxleException.notFound("Registered model '" + byStage.name()
                                + "' has no version in stage " + byStage.stage().text() + "."));
            }
            case ModelUri.ByAlias byAlias -> {
                ModelDao models = handle.attach(ModelDao.class);
                ModelRow model = requireModel(models, byAlias.name());
                long version = models.aliasVersion(model.modelId(), byAlias.alias())
                        .orElseThrow(() -> AxleException.notFound(
                                "Registered model '" + byAlias.name() + "' has no alias '" + byAlias.alias() + "'."));
                yield requireVersion(handle, model, version);
            }
            case ModelUri.Latest latest -> {
                ModelRow model = requireModel(handle.attach(ModelDao.class), latest.name());
                yield handle.attach(VersionDao.class)
                        .latest(model.modelId())
                        .orElseThrow(() ->
                                AxleException.notFound("Registered model '" + latest.name() + "' has no versions."));
            }
            case ModelUri.RunPath runPath ->
                throw new IllegalArgumentException("runs:/ URIs name no registered version: " + runPath);
        };
    }

    /** The key in the artifacts destination of a version's source. */
    private BlobKey locateSource(String source) {
        if (ModelUri.isModelUri(source)) {
            ModelUri uri = ModelUri.parse(source);
            if (uri instanceof ModelUri.RunPath runPath) {
                BlobKey root = artifacts.locate(runs.artifactUri(runPath.runId()));
                return runPath.path().isEmpty() ? root : root.resolve(runPath.path());
            }
            VersionRow row = database.withHandle(handle -> versionOf(handle, uri));
            requireReady(row);
            return BlobKey.of(row.storageKey());
        }
        return artifacts.locate(source);
    }

    private static Optional<String> runOf(String source) {
        if (source.regionMatches(true, 0, "runs:/", 0, "runs:/".length())
                && ModelUri.parse(source) instanceof ModelUri.RunPath runPath) {
            return Optional.of(runPath.runId());
        }
        return Optional.empty();
    }

    static String freeStorageKey(VersionDao versions, String name, long version) {
        BlobKey base = ArtifactService.REGISTRY_ROOT.resolve(name);
        String candidate = base.resolve(Long.toString(version)).path();
        // a renamed model keeps its copies where they were; a new model of the old name must not share them
        for (int suffix = 2; versions.countWithStorageKey(candidate) > 0; suffix++) {
            candidate = base.resolve(version + "-" + suffix).path();
        }
        return candidate;
    }

    private VersionRow readyVersion(String name, long number) {
        requireName(name);
        VersionRow row = database.withHandle(handle -> {
            ModelRow model = requireModel(handle.attach(ModelDao.class), name);
            return requireVersion(handle, model, number);
        });
        requireReady(row);
        return row;
    }

    private static void requireReady(VersionRow row) {
        if (!row.status().equals(VersionStatus.READY.name())) {
            throw new AxleException(
                    ErrorCode.INVALID_STATE,
                    "Version " + row.version() + " of registered model '" + row.name() + "' is "
                            + row.status()
                            + (row.statusMessage().isEmpty() ? "" : " (" + row.statusMessage() + ")")
                            + "; its files are available once it is READY.");
        }
    }

    private static void requireNotFailed(VersionRow row) {
        if (row.status().equals(VersionStatus.FAILED_REGISTRATION.name())) {
            throw new AxleException(
                    ErrorCode.INVALID_STATE,
                    "Version " + row.version() + " of registered model '" + row.name() + "' failed registration ("
                            + row.statusMessage() + "); register it again.");
        }
    }

    private static RegisteredModel model(Handle handle, ModelRow row) {
        return RegistryReader.models(handle, List.of(row)).getFirst();
    }

    private static ModelRow requireModel(ModelDao models, String name) {
        return models.findByName(name).orElseThrow(() -> modelNotFound(name));
    }

    private static ModelRow requireModelForUpdate(ModelDao models, String name) {
        return models.findByNameForUpdate(name).orElseThrow(() -> modelNotFound(name));
    }

    private static AxleException modelNotFound(String name) {
        return AxleException.notFound("Registered Model with name=" + name + " not found");
    }

    private static VersionRow requireVersion(Handle handle, ModelRow model, long version) {
        return handle.attach(VersionDao.class)
                .find(model.modelId(), version)
                .orElseThrow(() -> AxleException.notFound("Model Version (name=" + model.name() + ", version="
                        + version + ") not found"
                        + (model.lastVersion() > 0 ? " (latest is " + model.lastVersion() + ")" : "")));
    }

    private static void requireName(String name) {
        if (name.isEmpty()) {
            throw AxleException.invalidParameter("Registered model name cannot be empty.");
        }
    }

    private static int maxResults(int requested, int defaultValue, int maximum, String what) {
        if (requested == 0) {
            return defaultValue;
        }
        if (requested < 1 || requested > maximum) {
            throw AxleException.invalidParameter("Invalid value " + requested + " for parameter 'max_results' "
                    + "supplied. It must be at most " + maximum + " for " + what + ".");
        }
        return requested;
    }

    private static int offset(Optional<String> pageToken) {
        return pageToken
                .filter(token -> !token.isEmpty())
                .map(PageToken::decode)
                .orElse(0);
    }

    private static Optional<String> nextPage(boolean more, int offset, int limit) {
        return more ? Optional.of(PageToken.encode(offset + limit)) : Optional.empty();
    }

    private static String userId(String actor) {
        return actor.equals(Actors.ANONYMOUS) ? "" : actor;
    }

    private static String failureMessage(RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.length() > 900 ? message.substring(0, 900) + "..." : message;
    }

    private void deleteQuietly(BlobKey target) {
        try {
            storage.delete(target);
        } catch (RuntimeException e) {
            log.warn("Could not remove the partial copy at '{}': {}", target.path(), e.getMessage());
        }
    }

    /** Stops accepting copies; copies under way are interrupted and resume when the server next starts. */
    @Override
    public void close() {
        copies.shutdownNow();
    }
}
