package io.axle.data.pipeline;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.data.hash.DirManifest;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Values by file and dotted key at two points, compared as {@code dvc metrics diff} and {@code dvc params diff} do:
 * changed keys only unless {@code all}, with {@code new - old} for numbers.
 */
public final class Comparison {
    /** DVC rounds shown numbers to 5 digits after the point. */
    private static final int PRECISION = 5;

    private Comparison() {}

    public record Change(Optional<JsonNode> oldValue, Optional<JsonNode> newValue, Optional<JsonNode> diff) {
        public Change {
            requireNonNull(oldValue, "oldValue is null");
            requireNonNull(newValue, "newValue is null");
            requireNonNull(diff, "diff is null");
        }
    }

    /** file → key → change, files and keys sorted. */
    public static Map<String, Map<String, Change>> diff(
            Map<String, Map<String, JsonNode>> older, Map<String, Map<String, JsonNode>> newer, boolean all) {
        Map<String, Map<String, Change>> result = new TreeMap<>(DirManifest.CODE_POINT_ORDER);
        Set<String> files = new LinkedHashSet<>(older.keySet());
        files.addAll(newer.keySet());
        for (String file : files) {
            Map<String, JsonNode> a = older.getOrDefault(file, Map.of());
            Map<String, JsonNode> b = newer.getOrDefault(file, Map.of());
            Set<String> keys = new LinkedHashSet<>(a.keySet());
            keys.addAll(b.keySet());
            Map<String, Change> changes = new TreeMap<>(DirManifest.CODE_POINT_ORDER);
            for (String key : keys) {
                Optional<JsonNode> oldValue = Optional.ofNullable(a.get(key));
                Optional<JsonNode> newValue = Optional.ofNullable(b.get(key));
                if (oldValue.equals(newValue) && !all) {
                    continue;
                }
                Optional<JsonNode> difference = Optional.empty();
                if (oldValue.isPresent()
                        && newValue.isPresent()
                        && oldValue.get().isNumber()
                        && newValue.get().isNumber()) {
                    difference = Optional.of(subtract(newValue.get(), oldValue.get()));
                }
                changes.put(key, new Change(oldValue, newValue, difference));
            }
            if (!changes.isEmpty()) {
                result.put(file, changes);
            }
        }
        return result;
    }

    /** {@code {file: {key: {"old": .., "new": .., "diff": ..}}}}; {@code diff} only when asked and numeric. */
    public static ObjectNode toJson(Map<String, Map<String, Change>> diff, boolean withDiff) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        diff.forEach((file, changes) -> {
            ObjectNode fileNode = json.putObject(file);
            changes.forEach((key, change) -> {
                ObjectNode item = fileNode.putObject(key);
                item.set("old", change.oldValue().orElse(JsonNodeFactory.instance.nullNode()));
                item.set("new", change.newValue().orElse(JsonNodeFactory.instance.nullNode()));
                if (withDiff && change.diff().isPresent()) {
                    item.set("diff", change.diff().get());
                }
            });
        });
        return json;
    }

    /** The table DVC prints: Path, the key's title, the two revisions, and Change when {@code withDiff}. */
    public static List<String> toTable(
            Map<String, Map<String, Change>> diff, String title, String oldName, String newName, boolean withDiff) {
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("Path", title, oldName, newName));
        if (withDiff) {
            header.add("Change");
        }
        rows.add(header);
        diff.forEach((file, changes) -> changes.forEach((key, change) -> {
            List<String> row = new ArrayList<>(List.of(
                    file,
                    key,
                    change.oldValue().map(Comparison::format).orElse("-"),
                    change.newValue().map(Comparison::format).orElse("-")));
            if (withDiff) {
                row.add(change.diff().map(Comparison::format).orElse("-"));
            }
            rows.add(row);
        }));
        return table(rows);
    }

    /** Columns padded to their widest cell, two spaces apart, as DVC's plain tables. */
    public static List<String> table(List<List<String>> rows) {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(
                        widths[i], row.get(i).codePointCount(0, row.get(i).length()));
            }
        }
        List<String> lines = new ArrayList<>();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                line.append(cell);
                if (i < row.size() - 1) {
                    line.repeat(" ", widths[i] - cell.codePointCount(0, cell.length()) + 2);
                }
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    /** A value as DVC shows it: numbers rounded to 5 digits after the point, Python's spelling otherwise. */
    public static String format(JsonNode value) {
        if (value.isNull()) {
            return "-";
        }
        if (value.isFloatingPointNumber()) {
            double rounded = BigDecimal.valueOf(value.doubleValue())
                    .setScale(PRECISION, RoundingMode.HALF_EVEN)
                    .doubleValue();
            return LockYaml.pythonFloat(rounded);
        }
        if (value.isBoolean()) {
            return value.booleanValue() ? "True" : "False";
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        return value.toString();
    }

    /** Every leaf of a metrics or params tree as {@code a.b.c → value}. */
    public static Map<String, JsonNode> flatten(JsonNode tree) {
        Map<String, JsonNode> leaves = new LinkedHashMap<>();
        ParamsFile.flatten("", tree, leaves);
        return leaves;
    }

    private static JsonNode subtract(JsonNode newValue, JsonNode oldValue) {
        if (newValue.isIntegralNumber() && oldValue.isIntegralNumber()) {
            return JsonNodeFactory.instance.numberNode(newValue.longValue() - oldValue.longValue());
        }
        return JsonNodeFactory.instance.numberNode(newValue.doubleValue() - oldValue.doubleValue());
    }
}
