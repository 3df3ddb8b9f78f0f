package io.axle.server.registry;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.server.artifacts.ArtifactService;
import io.axle.server.db.Database;
import io.axle.server.events.EventLog;
import io.axle.server.events.EventType;
import io.axle.server.events.NewEvent;
import io.axle.server.registry.ModelDao.AliasRow;
import io.axle.server.registry.ModelDao.ModelRow;
import io.axle.server.registry.ModelDao.TagRow;
import io.axle.server.registry.RegistrySnapshot.SnapshotModel;
import io.axle.server.registry.RegistrySnapshot.SnapshotVersion;
import io.axle.server.registry.VersionDao.FileRow;
import io.axle.server.registry.VersionDao.VersionRow;
import io.axle.server.registry.VersionDao.VersionTagRow;
import io.axle.server.tracking.Tag;
import io.axle.storage.BlobKey;
import io.axle.storage.BlobStore;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Backups and moves: a consistent snapshot of the whole registry, and the import of one model from such a snapshot
 * into this server, keeping its version numbers, stages, aliases, tags, times and file bytes.
 */
public final class RegistryTransfer {
    private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");

    private final Database database;
    private final EventLog events;
    private final ModelStorage storage;
    private final ArtifactService artifacts;
    private final InstantSource clock;

    public RegistryTransfer(
            Database database, EventLog events, BlobStore store, ArtifactService artifacts, InstantSource clock) {
        this.database = requireNonNull(database, "database is null");
        this.events = requireNonNull(events, "events is null");
        this.storage = new ModelStorage(requireNonNull(store, "store is null"));
        this.artifacts = requireNonNull(artifacts, "artifacts is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Every model, read in one snapshot transaction, so that a snapshot taken while writers work is consistent. */
    public RegistrySnapshot export() {
        return database.inSnapshot(handle -> {
            ModelDao models = handle.attach(ModelDao.class);
            VersionDao versions = handle.attach(VersionDao.class);
            long eventSeq = events.current(handle);
            Map<Long, List<Tag>> modelTags = new HashMap<>();
            for (TagRow tag : models.allTags()) {
                modelTags
                        .computeIfAbsent(tag.modelId(), id -> new ArrayList<>())
                        .add(new Tag(tag.tagKey(), tag.tagValue()));
            }
            Map<Long, List<RegisteredModel.Alias>> aliases = new HashMap<>();
            for (AliasRow alias : models.allAliases()) {
                aliases.computeIfAbsent(alias.modelId(), id -> new ArrayList<>())
                        .add(new RegisteredModel.Alias(alias.alias(), Long.toString(alias.version())));
            }
            Map<String, List<Tag>> versionTags = new HashMap<>();
            for (VersionTagRow tag : versions.allTags()) {
                versionTags
                        .computeIfAbsent(tag.modelId() + "/" + tag.version(), key -> new ArrayList<>())
                        .add(new Tag(tag.tagKey(), tag.tagValue()));
            }
            Map<String, List<ModelFile>> files = new HashMap<>();
            for (FileRow file : versions.allFiles()) {
                files.computeIfAbsent(file.modelId() + "/" + file.version(), key -> new ArrayList<>())
                        .add(new ModelFile(file.path(), file.size(), file.sha256()));
            }
            Map<Long, List<SnapshotVersion>> modelVersions = new HashMap<>();
            for (VersionRow row : versions.all()) {
                String key = row.modelId() + "/" + row.version();
                modelVersions
                        .computeIfAbsent(row.modelId(), id -> new ArrayList<>())
                        .add(new SnapshotVersion(
                                Long.toString(row.version()),
                                row.creationTime(),
                                row.lastUpdatedTime(),
                                row.userId(),
                                row.description(),
                                row.currentStage(),
                                row.source(),
                                row.runId(),
                                row.runLink(),
                                row.status(),
                                row.statusMessage(),
                                versionTags.getOrDefault(key, List.of()),
                                artifacts.uriOf(BlobKey.of(row.storageKey())),
                                files.getOrDefault(key, List.of()),
                                java.util.Optional.empty()));
            }
            List<SnapshotModel> snapshot = new ArrayList<>();
            for (ModelRow model : models.all()) {
                snapshot.add(new SnapshotModel(
                        model.name(),
                        model.creationTime(),
                        model.lastUpdatedTime(),
                        model.userId(),
                        model.description(),
                        model.lastVersion(),
                        modelTags.getOrDefault(model.modelId(), List.of()),
                        aliases.getOrDefault(model.modelId(), List.of()),
                        modelVersions.getOrDefault(model.modelId(), List.of())));
            }
            return new RegistrySnapshot(RegistrySnapshot.FORMAT, clock.millis(), eventSeq, snapshot);
        });
    }

    /**
     * Imports one model from a snapshot: copies each READY version's staged files into registry storage, checks
     * them against the snapshot's digests, then writes the model, its versions, tags and aliases in one
     * transaction. A model of that name must not exist yet (so a repeated import skips what it already did).
     */
    public RegisteredModel importModel(SnapshotModel model, String actor) {
        validate(model);
        requireAbsent(model.name());
        Map<Long, BlobKey> copies = new LinkedHashMap<>();
        try {
            for (SnapshotVersion version : model.versions()) {
                if (!isReady(version)) {
                    continue;
                }
                long number = Long.parseLong(version.version());
                BlobKey staged = artifacts.locate(version.stagedUri()
                        .orElseThrow(() -> AxleException.invalidParameter("Version " + number + " of '" + model.name()
                                + "' is READY but names no staged_uri to copy" + " its files from")));
                // a renamed model keeps its copies under its old name, which may be this model's name
                BlobKey target = BlobKey.of(database.withHandle(handle ->
                        RegistryService.freeStorageKey(handle.attach(VersionDao.class), model.name(), number)));
                copies.put(number, target);
                List<ModelFile> copied = storage.copy(staged, target);
                requireSameFiles(model.name(), number, version.files(), copied);
            }
            RegisteredModel imported = database.inTransaction(handle -> insert(handle, model, copies, actor));
            for (SnapshotVersion version : model.versions()) {
                version.stagedUri().ifPresent(uri -> storage.delete(artifacts.locate(uri)));
            }
            return imported;
        } catch (RuntimeException e) {
            copies.values().forEach(storage::delete);
            throw e;
        }
    }

    private RegisteredModel insert(
            org.jdbi.v3.core.Handle handle, SnapshotModel model, Map<Long, BlobKey> copies, String actor) {
        ModelDao models = handle.attach(ModelDao.class);
        VersionDao versions = handle.attach(VersionDao.class);
        if (models.findByName(model.name()).isPresent()) {
            throw AxleException.alreadyExists("Registered Model (name=" + model.name() + ") already exists.");
        }
        long highest = model.versions().stream()
                .mapToLong(version -> Long.parseLong(version.version()))
                .max()
                .orElse(0);
        long id = models.insertImported(
                model.name(),
                model.creationTimestamp(),
                model.lastUpdatedTimestamp(),
                model.description(),
                model.userId(),
                Math.max(model.lastVersion(), highest));
        for (Tag tag : model.tags()) {
            models.setTag(id, tag.key(), tag.value());
        }
        for (SnapshotVersion version : model.versions()) {
            long number = Long.parseLong(version.version());
            boolean ready = isReady(version);
            BlobKey target = copies.computeIfAbsent(
                    number, absent -> BlobKey.of(RegistryService.freeStorageKey(versions, model.name(), number)));
            versions.insert(
                    id,
                    number,
                    version.creationTimestamp(),
                    version.lastUpdatedTimestamp(),
                    version.description(),
                    version.userId(),
                    Stage.parse(version.currentStage()).text(),
                    version.source(),
                    version.runId(),
                    version.runLink(),
                    ready ? VersionStatus.READY.name() : VersionStatus.FAILED_REGISTRATION.name(),
                    ready ? version.statusMessage() : "was " + version.status() + " when exported; register it again",
                    target.path());
            for (Tag tag : version.tags()) {
                versions.setTag(id, number, tag.key(), tag.value());
            }
            if (ready && !version.files().isEmpty()) {
                versions.insertFiles(
                        id,
                        number,
                        version.files().stream().map(ModelFile::path).toList(),
                        version.files().stream().map(ModelFile::size).toList(),
                        version.files().stream().map(ModelFile::sha256).toList());
            }
        }
        for (RegisteredModel.Alias alias : model.aliases()) {
            models.setAlias(id, alias.alias(), Long.parseLong(alias.version()));
        }
        events.append(
                handle,
                NewEvent.of(
                        EventType.MODEL_IMPORTED,
                        model.name(),
                        actor,
                        Map.of(
                                "versions",
                                model.versions().stream()
                                        .map(SnapshotVersion::version)
                                        .toList(),
                                "aliases",
                                model.aliases().stream()
                                        .map(alias -> alias.alias() + "=" + alias.version())
                                        .toList())));
        return RegistryReader.models(
                        handle, List.of(models.findByName(model.name()).orElseThrow()))
                .getFirst();
    }

    private static void validate(SnapshotModel model) {
        RegistryValidation.modelName(model.name());
        model.tags().forEach(RegistryValidation::tag);
        Set<Long> numbers = new HashSet<>();
        for (SnapshotVersion version : model.versions()) {
            long number = RegistryValidation.version(version.version());
            if (!numbers.add(number)) {
                throw AxleException.invalidParameter(
                        "Model '" + model.name() + "' lists version " + number + " more than once.");
            }
            Stage.parse(version.currentStage());
            version.tags().forEach(RegistryValidation::tag);
            for (ModelFile file : version.files()) {
                BlobKey.of(file.path());
                if (!SHA256.matcher(file.sha256()).matches() || file.size() < 0) {
                    throw AxleException.invalidParameter("File '" + file.path() + "' of version " + number
                            + " needs a size and a lowercase hex SHA-256.");
                }
            }
        }
        for (RegisteredModel.Alias alias : model.aliases()) {
            RegistryValidation.alias(alias.alias());
            if (!numbers.contains(RegistryValidation.version(alias.version()))) {
                throw AxleException.invalidParameter("Alias '" + alias.alias() + "' of model '" + model.name()
                        + "' points at version " + alias.version() + ", which the import does not include.");
            }
        }
    }

    private void requireAbsent(String name) {
        if (database.withHandle(handle -> handle.attach(ModelDao.class).findByName(name))
                .isPresent()) {
            throw AxleException.alreadyExists("Registered Model (name=" + name + ") already exists.");
        }
    }

    private static void requireSameFiles(String name, long version, List<ModelFile> expected, List<ModelFile> copied) {
        Map<String, ModelFile> byPath = new HashMap<>();
        copied.forEach(file -> byPath.put(file.path(), file));
        for (ModelFile file : expected) {
            ModelFile found = byPath.remove(file.path());
            if (found == null) {
                throw AxleException.invalidParameter(
                        "Version " + version + " of '" + name + "' is missing file '" + file.path() + "'.");
            }
            if (!found.sha256().equals(file.sha256()) || found.size() != file.size()) {
                throw AxleException.invalidParameter("File '" + file.path() + "' of version " + version + " of '"
                        + name + "' does not match the snapshot: expected " + file.size() + " bytes with SHA-256 "
                        + file.sha256() + ", got " + found.size() + " bytes with " + found.sha256() + ".");
            }
        }
        if (!byPath.isEmpty()) {
            throw AxleException.invalidParameter("Version " + version + " of '" + name
                    + "' has files the snapshot does not list: " + byPath.keySet());
        }
    }

    private static boolean isReady(SnapshotVersion version) {
        return version.status().equals(VersionStatus.READY.name());
    }
}
