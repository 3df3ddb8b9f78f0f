package io.axle.server.registry;

import io.axle.server.registry.ModelDao.AliasRow;
import io.axle.server.registry.ModelDao.ModelRow;
import io.axle.server.registry.ModelDao.TagRow;
import io.axle.server.registry.VersionDao.VersionRow;
import io.axle.server.registry.VersionDao.VersionTagRow;
import io.axle.server.tracking.Tag;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/** Assembles rows into the records the API shows, with a fixed number of queries per page. */
final class RegistryReader {
    private RegistryReader() {}

    static List<RegisteredModel> models(Handle handle, List<ModelRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<Long> ids = rows.stream().map(ModelRow::modelId).toList();
        ModelDao models = handle.attach(ModelDao.class);
        Map<Long, List<Tag>> tags = new HashMap<>();
        for (TagRow tag : models.tags(ids)) {
            tags.computeIfAbsent(tag.modelId(), id -> new ArrayList<>()).add(new Tag(tag.tagKey(), tag.tagValue()));
        }
        List<AliasRow> aliasRows = models.aliases(ids);
        Map<Long, List<RegisteredModel.Alias>> aliases = new HashMap<>();
        for (AliasRow alias : aliasRows) {
            aliases.computeIfAbsent(alias.modelId(), id -> new ArrayList<>())
                    .add(new RegisteredModel.Alias(alias.alias(), Long.toString(alias.version())));
        }
        Map<Long, List<ModelVersion>> latest = new HashMap<>();
        for (ModelVersion version :
                versions(handle, handle.attach(VersionDao.class).latestPerStage(ids))) {
            long modelId = modelIdOf(rows, version.name());
            latest.computeIfAbsent(modelId, id -> new ArrayList<>()).add(version);
        }
        return rows.stream()
                .map(row -> new RegisteredModel(
                        row.name(),
                        row.creationTime(),
                        row.lastUpdatedTime(),
                        present(row.userId()),
                        present(row.description()),
                        latest.getOrDefault(row.modelId(), List.of()),
                        tags.getOrDefault(row.modelId(), List.of()),
                        aliases.getOrDefault(row.modelId(), List.of())))
                .toList();
    }

    private static long modelIdOf(List<ModelRow> rows, String name) {
        return rows.stream()
                .filter(row -> row.name().equals(name))
                .findFirst()
                .orElseThrow()
                .modelId();
    }

    static List<ModelVersion> versions(Handle handle, List<VersionRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Set<Long> modelIds = new LinkedHashSet<>();
        rows.forEach(row -> modelIds.add(row.modelId()));
        Map<String, List<Tag>> tags = new HashMap<>();
        for (VersionTagRow tag : handle.attach(VersionDao.class).tags(modelIds)) {
            tags.computeIfAbsent(key(tag.modelId(), tag.version()), key -> new ArrayList<>())
                    .add(new Tag(tag.tagKey(), tag.tagValue()));
        }
        Map<String, List<String>> aliases = new HashMap<>();
        for (AliasRow alias : handle.attach(ModelDao.class).aliases(modelIds)) {
            aliases.computeIfAbsent(key(alias.modelId(), alias.version()), key -> new ArrayList<>())
                    .add(alias.alias());
        }
        return rows.stream()
                .map(row -> version(
                        row,
                        tags.getOrDefault(key(row.modelId(), row.version()), List.of()),
                        aliases.getOrDefault(key(row.modelId(), row.version()), List.of())))
                .toList();
    }

    static ModelVersion version(VersionRow row, Collection<Tag> tags, Collection<String> aliases) {
        return new ModelVersion(
                row.name(),
                Long.toString(row.version()),
                row.creationTime(),
                row.lastUpdatedTime(),
                present(row.userId()),
                row.currentStage(),
                present(row.description()),
                row.source(),
                present(row.runId()),
                row.status(),
                present(row.statusMessage()),
                List.copyOf(tags),
                present(row.runLink()),
                List.copyOf(aliases));
    }

    private static String key(long modelId, long version) {
        return modelId + "/" + version;
    }

    private static Optional<String> present(String text) {
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }
}
