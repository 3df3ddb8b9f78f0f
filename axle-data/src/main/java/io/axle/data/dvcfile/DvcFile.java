package io.axle.data.dvcfile;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.data.hash.HashName;
import io.axle.data.repo.AtomicFiles;
import io.axle.data.repo.DataException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A {@code .dvc} file. Its YAML tree is kept as read, so rewriting it (after {@code commit}, say) keeps keys Axle does
 * not know and the order the keys had; only the hash fields of the outs change.
 */
public final class DvcFile {
    public static final String SUFFIX = ".dvc";

    private final Path path;
    private final ObjectNode root;

    private DvcFile(Path path, ObjectNode root) {
        this.path = requireNonNull(path, "path is null").toAbsolutePath().normalize();
        this.root = requireNonNull(root, "root is null");
    }

    public static DvcFile load(Path path) {
        try {
            return parse(path, Files.readAllBytes(path));
        } catch (java.nio.file.NoSuchFileException e) {
            throw DataException.failed("'" + path + "' does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static DvcFile parse(Path path, byte[] yaml) {
        ObjectNode root = DvcYaml.parse(yaml, path.toString());
        if (!root.path("outs").isArray() && !root.has("deps")) {
            throw DataException.failed("'" + path + "' is not a .dvc file: it has no 'outs'");
        }
        return new DvcFile(path, root);
    }

    /** A new {@code .dvc} file with one output, in the key order DVC 3 writes. */
    public static DvcFile create(Path path, String outPath) {
        ObjectNode root = DvcYaml.newObject();
        ObjectNode out = root.putArray("outs").addObject();
        out.put("path", outPath);
        return new DvcFile(path, root);
    }

    /** The {@code .dvc} file DVC names for an output: {@code data} gets {@code data.dvc} beside it. */
    public static Path pathFor(Path output) {
        Path absolute = output.toAbsolutePath().normalize();
        return absolute.resolveSibling(absolute.getFileName() + SUFFIX);
    }

    public Path path() {
        return path;
    }

    /** The directory the outs' paths are relative to: the file's directory, moved by {@code wdir}. */
    public Path wdir() {
        Path directory = path.getParent();
        JsonNode wdir = root.get("wdir");
        return wdir != null && wdir.isTextual()
                ? directory.resolve(wdir.asText()).normalize()
                : directory;
    }

    /** The tree as read, for keys this class does not model (frozen, desc, meta...). */
    public ObjectNode tree() {
        return root;
    }

    /** The stage md5 at the top (imports and DVC 1/2 files); DVC 3 leaves it out for plain adds. */
    public Optional<String> md5() {
        return text(root, "md5");
    }

    public boolean frozen() {
        return root.path("frozen").asBoolean(false);
    }

    public List<Output> outs() {
        List<Output> outs = new ArrayList<>();
        JsonNode array = root.path("outs");
        for (int i = 0; i < array.size(); i++) {
            JsonNode out = array.get(i);
            String outPath =
                    text(out, "path").orElseThrow(() -> DataException.failed("an out of '" + path + "' has no 'path'"));
            HashName hashName = out.has("hash")
                    ? HashName.ofDvcName(out.get("hash").asText())
                            .orElseThrow(() -> DataException.failed("'" + path + "' uses hash '"
                                    + out.get("hash").asText() + "', which Axle cannot read"))
                    : HashName.MD5_DOS2UNIX;
            outs.add(new Output(
                    i,
                    outPath,
                    text(out, "md5"),
                    number(out, "size"),
                    number(out, "nfiles"),
                    out.path("isexec").asBoolean(false),
                    hashName,
                    text(out, "remote"),
                    out.path("cache").asBoolean(true)));
        }
        return outs;
    }

    public List<Dependency> deps() {
        List<Dependency> deps = new ArrayList<>();
        for (JsonNode dep : root.path("deps")) {
            Optional<Dependency.RepoSource> repo = Optional.empty();
            JsonNode repoNode = dep.get("repo");
            if (repoNode != null && repoNode.isObject()) {
                repo = Optional.of(new Dependency.RepoSource(
                        text(repoNode, "url").orElse(""), text(repoNode, "rev"), text(repoNode, "rev_lock")));
            }
            deps.add(new Dependency(text(dep, "path").orElse(""), text(dep, "md5"), repo));
        }
        return deps;
    }

    /** Where out {@code out} is in the workspace. */
    public Path outputPath(Output out) {
        return wdir().resolve(out.path()).normalize();
    }

    /**
     * Records a file's new hash in out {@code index}, as DVC 3 does: {@code hash: md5}, no {@code nfiles}, {@code
     * isexec} only when true. Existing keys keep their place; new ones go where DVC puts them.
     */
    public void recordFile(int index, String md5, long size, boolean executable) {
        ObjectNode out = out(index);
        Map<String, JsonNode> values = new java.util.LinkedHashMap<>();
        values.put("md5", out.textNode(md5));
        values.put("size", out.numberNode(size));
        values.put("nfiles", null);
        values.put("isexec", executable ? out.booleanNode(true) : null);
        values.put("hash", out.textNode(HashName.MD5.dvcName()));
        update(out, values);
    }

    /** Records a directory's new hash in out {@code index}. */
    public void recordDirectory(int index, String dirMd5, long size, int nfiles) {
        ObjectNode out = out(index);
        Map<String, JsonNode> values = new java.util.LinkedHashMap<>();
        values.put("md5", out.textNode(dirMd5));
        values.put("size", out.numberNode(size));
        values.put("nfiles", out.numberNode(nfiles));
        values.put("isexec", null);
        values.put("hash", out.textNode(HashName.MD5.dvcName()));
        update(out, values);
    }

    public String toYaml() {
        return DvcYaml.write(root);
    }

    /** Writes the file (temporary file, then rename). */
    public void save() {
        AtomicFiles.write(path, toYaml().getBytes(StandardCharsets.UTF_8));
    }

    private ObjectNode out(int index) {
        JsonNode out = root.path("outs").get(index);
        if (!(out instanceof ObjectNode object)) {
            throw new IllegalArgumentException("'" + path + "' has no out " + index);
        }
        return object;
    }

    /**
     * Sets keys in place; a key that is new is put before {@code path} if {@code path} is last (DVC 3's own order is
     * md5, size, nfiles, isexec, hash, path), else at the end.
     */
    private static void update(ObjectNode out, Map<String, JsonNode> values) {
        boolean pathLast = lastKey(out).map("path"::equals).orElse(false);
        ObjectNode rebuilt = out.objectNode();
        boolean inserted = false;
        for (Map.Entry<String, JsonNode> field : out.properties()) {
            String key = field.getKey();
            if (pathLast && key.equals("path") && !inserted) {
                addMissing(rebuilt, out, values);
                inserted = true;
            }
            if (values.containsKey(key)) {
                JsonNode value = values.get(key);
                if (value != null) {
                    rebuilt.set(key, value);
                }
            } else {
                rebuilt.set(key, field.getValue());
            }
        }
        if (!inserted) {
            addMissing(rebuilt, out, values);
        }
        out.removeAll();
        out.setAll(rebuilt);
    }

    private static void addMissing(ObjectNode rebuilt, ObjectNode out, Map<String, JsonNode> values) {
        for (Map.Entry<String, JsonNode> value : values.entrySet()) {
            if (!out.has(value.getKey()) && value.getValue() != null) {
                rebuilt.set(value.getKey(), value.getValue());
            }
        }
    }

    private static Optional<String> lastKey(ObjectNode node) {
        String last = null;
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            last = names.next();
        }
        return Optional.ofNullable(last);
    }

    private static Optional<String> text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }

    private static OptionalLong number(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value != null && value.canConvertToLong() ? OptionalLong.of(value.asLong()) : OptionalLong.empty();
    }
}
