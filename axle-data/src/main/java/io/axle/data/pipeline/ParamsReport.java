package io.axle.data.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code dvc params diff}: the whole of {@code params.yaml}, and the keys stages name in other params files, flattened
 * to dotted keys.
 */
public final class ParamsReport {
    private ParamsReport() {}

    public static Map<String, Map<String, JsonNode>> collect(FileSource source) {
        Map<String, Map<String, JsonNode>> params = new LinkedHashMap<>();
        ParamsFile.load(source, PipelineFile.DEFAULT_PARAMS).ifPresent(file -> params.put(file.path(), file.flatten()));
        for (Stage stage : PipelineFile.load(source).stages()) {
            for (Stage.ParamsDep dep : stage.params()) {
                String path = stage.repoPath(dep.file());
                if (params.containsKey(path) && path.equals(PipelineFile.DEFAULT_PARAMS)) {
                    continue;
                }
                Optional<ParamsFile> file = ParamsFile.load(source, path);
                if (file.isEmpty()) {
                    continue;
                }
                Map<String, JsonNode> values = params.computeIfAbsent(path, key -> new LinkedHashMap<>());
                if (dep.keys().isEmpty()) {
                    values.putAll(file.get().flatten());
                } else {
                    for (String key : dep.keys()) {
                        file.get().get(key).ifPresent(value -> {
                            Map<String, JsonNode> leaves = new LinkedHashMap<>();
                            ParamsFile.flatten(key, value, leaves);
                            values.putAll(leaves);
                        });
                    }
                }
            }
        }
        return params;
    }
}
