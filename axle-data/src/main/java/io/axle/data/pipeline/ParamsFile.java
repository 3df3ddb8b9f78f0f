package io.axle.data.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.data.dvcfile.DvcYaml;
import io.axle.data.repo.DataException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A params file (YAML or JSON; JSON is read as YAML, which it is): values by dotted key. */
public final class ParamsFile {
    private final String path;
    private final ObjectNode root;

    private ParamsFile(String path, ObjectNode root) {
        this.path = path;
        this.root = root;
    }

    public static Optional<ParamsFile> load(FileSource source, String path) {
        if (path.endsWith(".toml") || path.endsWith(".py")) {
            throw DataException.failed("params file '" + path + "' is TOML or Python, which Axle does not read yet");
        }
        return source.read(path).map(bytes -> new ParamsFile(path, DvcYaml.parse(bytes, path)));
    }

    public String path() {
        return path;
    }

    /** {@code train.lr} is {@code lr} under {@code train}. */
    public Optional<JsonNode> get(String dottedKey) {
        JsonNode node = root;
        for (String part : dottedKey.split("\\.", -1)) {
            if (!node.isObject() || !node.has(part)) {
                return root.has(dottedKey) ? Optional.of(root.get(dottedKey)) : Optional.empty();
            }
            node = node.get(part);
        }
        return Optional.of(node);
    }

    /** The values a stage depends on: the keys asked for, or every top-level key when none are. */
    public Map<String, JsonNode> values(List<String> keys) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        if (keys.isEmpty()) {
            root.properties().forEach(entry -> values.put(entry.getKey(), entry.getValue()));
            return values;
        }
        List<String> missing = new java.util.ArrayList<>();
        for (String key : keys) {
            get(key).ifPresentOrElse(value -> values.put(key, value), () -> missing.add(key));
        }
        if (!missing.isEmpty()) {
            throw DataException.failed(
                    "Parameters '" + String.join(", ", missing) + "' are missing from '" + path + "'.");
        }
        return values;
    }

    /** Every leaf as {@code a.b.c → value} (lists are leaves), in file order. */
    public Map<String, JsonNode> flatten() {
        Map<String, JsonNode> leaves = new LinkedHashMap<>();
        flatten("", root, leaves);
        return leaves;
    }

    static void flatten(String prefix, JsonNode node, Map<String, JsonNode> leaves) {
        if (node.isObject() && !node.isEmpty()) {
            node.properties()
                    .forEach(entry -> flatten(
                            prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey(),
                            entry.getValue(),
                            leaves));
        } else if (!prefix.isEmpty()) {
            leaves.put(prefix, node);
        }
    }
}
