package io.axle.data.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.data.dvcfile.DvcYaml;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code dvc metrics show} and {@code dvc metrics diff}: metrics files (JSON or YAML) named in {@code dvc.yaml}. */
public final class MetricsReport {
    private MetricsReport() {}

    /** file → its parsed content, for {@code targets} or every metrics file of the pipeline; missing files left out. */
    public static Map<String, ObjectNode> collect(FileSource source, List<String> targets) {
        List<String> files = targets.isEmpty() ? PipelineFile.load(source).metricsFiles() : targets;
        Map<String, ObjectNode> metrics = new LinkedHashMap<>();
        for (String file : files) {
            Optional<byte[]> bytes = source.read(file);
            bytes.ifPresent(content -> metrics.put(file, DvcYaml.parse(content, file)));
        }
        return metrics;
    }

    public static Map<String, Map<String, JsonNode>> flatten(Map<String, ObjectNode> metrics) {
        Map<String, Map<String, JsonNode>> flat = new LinkedHashMap<>();
        metrics.forEach((file, tree) -> flat.put(file, Comparison.flatten(tree)));
        return flat;
    }

    /** {@code {"workspace": {"data": {file: {"data": {...}}}}}}, as {@code dvc metrics show --json}. */
    public static ObjectNode showJson(String revision, Map<String, ObjectNode> metrics) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        ObjectNode data = json.putObject(revision).putObject("data");
        metrics.forEach((file, tree) -> data.putObject(file).set("data", tree));
        return json;
    }

    /** A row per file, a column per metric: {@code Path  acc  loss}. */
    public static List<String> showTable(Map<String, ObjectNode> metrics) {
        Map<String, Map<String, JsonNode>> flat = flatten(metrics);
        Set<String> columns = new LinkedHashSet<>();
        flat.values().forEach(values -> columns.addAll(values.keySet()));
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("Path"));
        header.addAll(columns);
        rows.add(header);
        flat.forEach((file, values) -> {
            List<String> row = new ArrayList<>(List.of(file));
            columns.forEach(
                    column -> row.add(values.containsKey(column) ? Comparison.format(values.get(column)) : "-"));
            rows.add(row);
        });
        return Comparison.table(rows);
    }
}
