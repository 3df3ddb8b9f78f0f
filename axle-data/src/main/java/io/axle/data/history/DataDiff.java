package io.axle.data.history;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.data.hash.DirManifest;
import io.axle.data.hash.HashName;
import io.axle.data.hash.TreeHash;
import io.axle.data.workspace.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code dvc diff}: the DVC-tracked files and directories added, deleted, modified or renamed between two trees. A
 * directory output is listed as {@code dir/} and, where its {@code .dir} manifest is in the cache (or it is in the
 * workspace), with each file in it.
 */
public final class DataDiff {
    /** The states in the order DVC prints them. */
    public static final List<String> STATES = List.of("added", "deleted", "renamed", "modified", "not in cache");

    private final Workspace workspace;

    public DataDiff(Workspace workspace) {
        this.workspace = requireNonNull(workspace, "workspace is null");
    }

    /** One line of the diff: a path (old and new for a rename) with its hash (old and new when modified). */
    public record Entry(String path, Optional<String> oldPath, String hash, Optional<String> oldHash) {
        public Entry {
            requireNonNull(path, "path is null");
            requireNonNull(oldPath, "oldPath is null");
            requireNonNull(hash, "hash is null");
            requireNonNull(oldHash, "oldHash is null");
        }

        /** What DVC prints: {@code old -> new} for a rename. */
        public String shown() {
            return oldPath.map(old -> old + " -> " + path).orElse(path);
        }

        String sortKey() {
            return oldPath.orElse(path);
        }
    }

    /** state → entries, every state of {@link #STATES} present (empty lists too), entries sorted by path. */
    public Map<String, List<Entry>> diff(GitTree older, GitTree newer) {
        Map<String, String> old = hashes(older);
        Map<String, String> now = hashes(newer);
        List<Entry> added = new ArrayList<>();
        List<Entry> deleted = new ArrayList<>();
        List<Entry> modified = new ArrayList<>();
        List<Entry> notInCache = new ArrayList<>();
        now.forEach((path, hash) -> {
            if (!old.containsKey(path)) {
                added.add(new Entry(path, Optional.empty(), hash, Optional.empty()));
            } else if (!old.get(path).equals(hash)) {
                modified.add(new Entry(path, Optional.empty(), hash, Optional.of(old.get(path))));
            }
        });
        old.forEach((path, hash) -> {
            if (!now.containsKey(path)) {
                Entry entry = new Entry(path, Optional.empty(), hash, Optional.empty());
                boolean missing = newer.isWorkspace() && !inCache(hash);
                (missing ? notInCache : deleted).add(entry);
            }
        });
        List<Entry> renamed = renames(added, deleted);
        Map<String, List<Entry>> result = new LinkedHashMap<>();
        result.put("added", sorted(added));
        result.put("deleted", sorted(deleted));
        result.put("modified", sorted(modified));
        result.put("renamed", sorted(renamed));
        result.put("not in cache", sorted(notInCache));
        return result;
    }

    /** The diff as {@code dvc diff --json} writes it; {@code {}} when nothing changed, as in DVC. */
    public static ObjectNode toJson(Map<String, List<Entry>> diff, boolean showHash) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        if (diff.values().stream().allMatch(List::isEmpty)) {
            return json;
        }
        diff.forEach((state, entries) -> {
            ArrayNode array = json.putArray(state);
            for (Entry entry : entries) {
                ObjectNode item = array.addObject();
                if (entry.oldPath().isPresent()) {
                    ObjectNode path = item.putObject("path");
                    path.put("old", entry.oldPath().get());
                    path.put("new", entry.path());
                } else {
                    item.put("path", entry.path());
                }
                if (showHash) {
                    if (entry.oldHash().isPresent()) {
                        ObjectNode hash = item.putObject("hash");
                        hash.put("old", entry.oldHash().get());
                        hash.put("new", entry.hash());
                    } else {
                        item.put("hash", entry.hash());
                    }
                }
            }
        });
        return json;
    }

    /** The diff as {@code dvc diff} prints it: a block per state, then {@code files summary: ...}. */
    public static List<String> toLines(Map<String, List<Entry>> diff, boolean showHash) {
        List<String> lines = new ArrayList<>();
        List<String> summary = new ArrayList<>();
        for (String state : STATES) {
            List<Entry> entries = diff.getOrDefault(state, List.of());
            if (entries.isEmpty()) {
                continue;
            }
            lines.add(Character.toUpperCase(state.charAt(0)) + state.substring(1) + ":");
            int files = 0;
            for (Entry entry : entries) {
                String digest = !showHash
                        ? ""
                        : entry.oldHash()
                                        .map(old -> old.substring(0, Math.min(8, old.length())) + ".."
                                                + entry.hash()
                                                        .substring(
                                                                0,
                                                                Math.min(
                                                                        8,
                                                                        entry.hash()
                                                                                .length())))
                                        .orElse(entry.hash()
                                                .substring(
                                                        0,
                                                        Math.min(8, entry.hash().length())))
                                + "  ";
                lines.add("    " + digest + entry.shown());
                files += entry.shown().endsWith("/") ? 0 : 1;
            }
            lines.add("");
            if (files > 0) {
                summary.add(files + " " + state);
            }
        }
        if (!summary.isEmpty()) {
            lines.add("files summary: " + String.join(", ", summary));
        }
        return lines;
    }

    /** path → hash for every output of the tree, {@code dir/} for a directory, and each file inside it. */
    private Map<String, String> hashes(GitTree tree) {
        Map<String, String> hashes = new TreeMap<>(DirManifest.CODE_POINT_ORDER);
        for (TrackedOutput output : TrackedOutputs.collect(tree, tree.files().keySet())) {
            if (tree.isWorkspace()) {
                workspaceHashes(output.path(), hashes);
            } else if (output.md5().isPresent()) {
                String md5 = output.md5().get();
                if (!output.isDirectory()) {
                    hashes.put(output.path(), md5);
                    continue;
                }
                hashes.put(output.path() + "/", md5);
                workspace
                        .cache()
                        .readManifest(output.hashName(), md5)
                        .ifPresent(manifest -> manifest.entries()
                                .forEach(entry -> hashes.put(output.path() + "/" + entry.relpath(), entry.md5())));
            }
        }
        return hashes;
    }

    private void workspaceHashes(String output, Map<String, String> hashes) {
        Path path = workspace.repo().root().resolve(output);
        if (!Files.exists(path)) {
            return;
        }
        if (Files.isDirectory(path)) {
            TreeHash tree = workspace.hasher().hashTree(path, workspace.repo().ignore(), HashName.MD5);
            hashes.put(output + "/", tree.md5());
            tree.manifest().entries().forEach(entry -> hashes.put(output + "/" + entry.relpath(), entry.md5()));
        } else {
            hashes.put(output, workspace.record(path, false).md5());
        }
    }

    private boolean inCache(String hash) {
        return workspace.cache().contains(HashName.MD5, hash)
                || workspace.cache().contains(HashName.MD5_DOS2UNIX, hash);
    }

    /** A file deleted here and added there with the same hash was renamed (DVC does the same for unchanged files). */
    private static List<Entry> renames(List<Entry> added, List<Entry> deleted) {
        Map<String, Entry> deletedByHash = new HashMap<>();
        deleted.forEach(
                entry -> deletedByHash.putIfAbsent(entry.hash() + (entry.path().endsWith("/") ? "/" : ""), entry));
        List<Entry> renamed = new ArrayList<>();
        for (Entry entry : List.copyOf(added)) {
            Entry old = deletedByHash.remove(entry.hash() + (entry.path().endsWith("/") ? "/" : ""));
            if (old != null) {
                added.remove(entry);
                deleted.remove(old);
                renamed.add(new Entry(entry.path(), Optional.of(old.path()), entry.hash(), Optional.empty()));
            }
        }
        return renamed;
    }

    private static List<Entry> sorted(List<Entry> entries) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> DirManifest.CODE_POINT_ORDER.compare(a.sortKey(), b.sortKey()));
        return sorted;
    }
}
