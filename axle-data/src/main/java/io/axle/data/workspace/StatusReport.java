package io.axle.data.workspace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code dvc status} of the workspace against the cache. {@link #toDvcJson()} has the shape of {@code dvc status
 * --json}: {@code {"data.dvc": [{"changed outs": {"data": "modified"}}]}}; a cloud status can be added beside it with
 * the same shape ({@code "changed outs"} becomes the remote's entries).
 */
public record StatusReport(List<OutputStatus> changes) {
    public StatusReport {
        changes = List.copyOf(changes);
    }

    public boolean isClean() {
        return changes.isEmpty();
    }

    public Map<String, List<Map<String, Map<String, String>>>> toDvcJson() {
        Map<String, Map<String, String>> byFile = new LinkedHashMap<>();
        for (OutputStatus change : changes) {
            byFile.computeIfAbsent(change.dvcFile(), file -> new LinkedHashMap<>())
                    .put(change.path(), change.state().dvcName());
        }
        Map<String, List<Map<String, Map<String, String>>>> json = new LinkedHashMap<>();
        byFile.forEach((file, outs) -> json.put(file, List.of(Map.of("changed outs", outs))));
        return json;
    }

    /** The text {@code dvc status} prints. */
    public List<String> toLines() {
        List<String> lines = new ArrayList<>();
        if (changes.isEmpty()) {
            lines.add("Data and pipelines are up to date.");
            return lines;
        }
        String currentFile = null;
        for (OutputStatus change : changes) {
            if (!change.dvcFile().equals(currentFile)) {
                currentFile = change.dvcFile();
                lines.add(currentFile + ":");
                lines.add("\tchanged outs:");
            }
            lines.add("\t\t" + String.format("%-20s", change.state().dvcName() + ":") + change.path());
        }
        return lines;
    }
}
