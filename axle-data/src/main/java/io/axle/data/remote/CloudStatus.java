package io.axle.data.remote;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code dvc status -c}: each object that differs between the cache and the remote, by name, as {@code new} (only in the
 * cache), {@code deleted} (only on the remote) or {@code missing} (in neither). The JSON is DVC's: {@code {"data/foo":
 * "new"}}.
 */
public record CloudStatus(String remote, Map<String, String> changes) {
    public CloudStatus {
        requireNonNull(remote, "remote is null");
        changes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(changes));
    }

    public boolean isClean() {
        return changes.isEmpty();
    }

    public Map<String, String> toDvcJson() {
        return changes;
    }

    /** The text {@code dvc status -c} prints: the state padded to 20 columns, then the name. */
    public List<String> toLines() {
        List<String> lines = new ArrayList<>();
        if (changes.isEmpty()) {
            lines.add("Cache and remote '" + remote + "' are in sync.");
            return lines;
        }
        changes.forEach((name, state) -> lines.add("\t" + String.format("%-20s", state + ":") + name));
        return lines;
    }
}
