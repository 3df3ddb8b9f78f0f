package io.axle.data.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.data.dvcfile.DvcYaml;
import io.axle.data.hash.DirManifest;
import io.axle.data.hash.HashName;
import io.axle.data.repo.DataException;
import io.axle.data.workspace.OutputRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code dvc.lock}: what each stage last ran with and produced. Written as DVC 3 writes it, {@code schema: '2.0'} then
 * {@code stages}; a stage keeps its place when it is rewritten and a new one goes last, as in DVC.
 */
public final class LockFile {
    public static final String NAME = "dvc.lock";
    static final String SCHEMA = "2.0";

    private final ObjectNode stages;

    private LockFile(ObjectNode stages) {
        this.stages = stages;
    }

    public static LockFile empty() {
        return new LockFile(DvcYaml.newObject());
    }

    public static LockFile load(FileSource source) {
        return source.read(NAME).map(LockFile::parse).orElseGet(LockFile::empty);
    }

    /** Reads a lock file; DVC 1's schema (stages at the top, no {@code schema}) is refused, as DVC 3 refuses it. */
    public static LockFile parse(byte[] yaml) {
        ObjectNode root = DvcYaml.parse(yaml, NAME);
        if (root.isEmpty()) {
            return empty();
        }
        JsonNode schema = root.get("schema");
        if (schema == null) {
            throw new DataException(
                    DataException.Kind.OTHER,
                    "'" + NAME + "' is in lockfile format 1 (DVC 1.x), which DVC 3 and Axle no longer read. Delete it"
                            + " and run 'axle data repro' to write it again with schema '2.0'.");
        }
        if (!schema.asText().equals(SCHEMA)) {
            throw new DataException(
                    DataException.Kind.OTHER,
                    "'" + NAME + "' has schema '" + schema.asText() + "'; only '" + SCHEMA + "' can be read");
        }
        JsonNode stages = root.path("stages");
        return new LockFile(stages.isObject() ? ((ObjectNode) stages).deepCopy() : DvcYaml.newObject());
    }

    public Optional<ObjectNode> stage(String name) {
        JsonNode stage = stages.get(name);
        return stage instanceof ObjectNode object ? Optional.of(object) : Optional.empty();
    }

    public List<String> stageNames() {
        List<String> names = new ArrayList<>();
        stages.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Replaces a stage's entry in place, or adds it last. */
    public void put(String name, ObjectNode entry) {
        stages.set(name, entry);
    }

    public String toYaml() {
        ObjectNode body = DvcYaml.newObject();
        body.put("schema", SCHEMA);
        body.set("stages", stages);
        return LockYaml.write(body);
    }

    /** A stage's outs in the lock: path as written, md5 ({@code .dir} for a directory). */
    public List<Locked> outs(String stage) {
        return locked(stage, "outs");
    }

    public List<Locked> deps(String stage) {
        return locked(stage, "deps");
    }

    /** The {@code params} the stage ran with: file → key → value. */
    public ObjectNode params(String stage) {
        JsonNode params = stage(stage).map(entry -> entry.get("params")).orElse(null);
        return params instanceof ObjectNode object ? object : DvcYaml.newObject();
    }

    private List<Locked> locked(String stage, String key) {
        List<Locked> locked = new ArrayList<>();
        stage(stage)
                .ifPresent(entry -> entry.path(key)
                        .forEach(item -> locked.add(new Locked(
                                item.path("path").asText(),
                                item.hasNonNull("md5")
                                        ? Optional.of(item.get("md5").asText())
                                        : Optional.empty()))));
        return locked;
    }

    /** One dep or out as dvc.lock has it. */
    public record Locked(String path, Optional<String> md5) {
        public Locked {
            java.util.Objects.requireNonNull(path, "path is null");
            java.util.Objects.requireNonNull(md5, "md5 is null");
        }
    }

    /**
     * The entry DVC 3 writes for a stage: {@code cmd}, then {@code deps}, {@code params}, {@code outs} (each only when
     * there are any); deps and outs sorted by path, params files with {@code params.yaml} first then by name, and
     * their keys sorted.
     */
    static ObjectNode entry(
            Stage stage,
            Map<String, OutputRecord> deps,
            Map<String, Map<String, JsonNode>> params,
            Map<String, OutputRecord> outs) {
        ObjectNode entry = DvcYaml.newObject();
        entry.set("cmd", stage.cmd().deepCopy());
        if (!deps.isEmpty()) {
            entry.set("deps", records(entry, deps));
        }
        if (!params.isEmpty()) {
            ObjectNode paramsNode = entry.putObject("params");
            params.keySet().stream()
                    .sorted((a, b) -> a.equals(b)
                            ? 0
                            : a.equals(PipelineFile.DEFAULT_PARAMS)
                                    ? -1
                                    : b.equals(PipelineFile.DEFAULT_PARAMS)
                                            ? 1
                                            : DirManifest.CODE_POINT_ORDER.compare(a, b))
                    .forEach(file -> {
                        ObjectNode values = paramsNode.putObject(file);
                        params.get(file).keySet().stream()
                                .sorted(DirManifest.CODE_POINT_ORDER)
                                .forEach(key -> values.set(key, params.get(file).get(key)));
                    });
        }
        if (!outs.isEmpty()) {
            entry.set("outs", records(entry, outs));
        }
        return entry;
    }

    private static ArrayNode records(ObjectNode factory, Map<String, OutputRecord> records) {
        ArrayNode array = factory.arrayNode();
        records.keySet().stream().sorted(DirManifest.CODE_POINT_ORDER).forEach(path -> {
            OutputRecord record = records.get(path);
            ObjectNode item = array.addObject();
            item.put("path", path);
            item.put("hash", HashName.MD5.dvcName());
            item.put("md5", record.md5());
            item.put("size", record.size());
            record.nfiles().ifPresent(nfiles -> item.put("nfiles", nfiles));
            if (record.executable()) {
                item.put("isexec", true);
            }
        });
        return array;
    }
}
