package io.axle.data.pipeline;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.data.dvcfile.DvcYaml;
import io.axle.data.repo.DataException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code dvc.yaml} at the repository root: its stages in file order and its top-level {@code metrics} files. */
public record PipelineFile(List<Stage> stages, List<String> metrics) {
    public static final String NAME = "dvc.yaml";
    public static final String DEFAULT_PARAMS = "params.yaml";

    public PipelineFile {
        stages = List.copyOf(stages);
        metrics = List.copyOf(metrics);
    }

    /** The pipeline as {@code source} has it; an empty pipeline when there is no {@code dvc.yaml}. */
    public static PipelineFile load(FileSource source) {
        return source.read(NAME).map(PipelineFile::parse).orElse(new PipelineFile(List.of(), List.of()));
    }

    public static PipelineFile parse(byte[] yaml) {
        ObjectNode root = DvcYaml.parse(yaml, NAME);
        List<Stage> stages = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : root.path("stages").properties()) {
            stages.add(stage(entry.getKey(), entry.getValue()));
        }
        List<String> metrics = new ArrayList<>();
        root.path("metrics").forEach(metric -> metrics.add(metric.asText()));
        return new PipelineFile(stages, metrics);
    }

    public Optional<Stage> stage(String name) {
        return stages.stream().filter(stage -> stage.name().equals(name)).findFirst();
    }

    /** Every metrics file, repository-relative: the top-level list, then each stage's {@code metrics} outs. */
    public List<String> metricsFiles() {
        List<String> files = new ArrayList<>(metrics);
        for (Stage stage : stages) {
            stage.outs().stream()
                    .filter(out -> out.kind() == Stage.Kind.METRIC)
                    .map(out -> stage.repoPath(out.path()))
                    .filter(path -> !files.contains(path))
                    .forEach(files::add);
        }
        return files;
    }

    private static Stage stage(String name, JsonNode node) {
        if (!node.isObject()) {
            throw invalid("stage '" + name + "' is not a mapping");
        }
        if (node.has("foreach") || node.has("matrix")) {
            throw invalid("stage '" + name + "' uses foreach/matrix, which Axle does not expand yet");
        }
        JsonNode cmd = node.get("cmd");
        if (cmd == null || !(cmd.isTextual() || cmd.isArray())) {
            throw invalid("stage '" + name + "' has no 'cmd'");
        }
        String wdir = node.path("wdir").asText("");
        wdir = wdir.equals(".") ? "" : wdir;
        List<String> deps = new ArrayList<>();
        node.path("deps").forEach(dep -> deps.add(dep.isObject() ? firstKey(dep) : dep.asText()));
        List<Stage.Out> outs = new ArrayList<>();
        outs(node.path("outs"), Stage.Kind.OUT, outs);
        outs(node.path("metrics"), Stage.Kind.METRIC, outs);
        outs(node.path("plots"), Stage.Kind.PLOT, outs);
        return new Stage(
                name,
                cmd,
                wdir,
                deps,
                params(node.path("params")),
                outs,
                node.path("always_changed").asBoolean(false),
                node.path("frozen").asBoolean(false));
    }

    /** {@code - key} reads params.yaml; {@code - file.yaml: [a, b.c]} another file (no keys: all of it). */
    private static List<Stage.ParamsDep> params(JsonNode list) {
        Map<String, List<String>> byFile = new LinkedHashMap<>();
        for (JsonNode param : list) {
            if (param.isObject()) {
                for (Map.Entry<String, JsonNode> file : param.properties()) {
                    List<String> keys = byFile.computeIfAbsent(file.getKey(), key -> new ArrayList<>());
                    file.getValue().forEach(key -> keys.add(key.asText()));
                }
            } else {
                byFile.computeIfAbsent(DEFAULT_PARAMS, key -> new ArrayList<>()).add(param.asText());
            }
        }
        List<Stage.ParamsDep> params = new ArrayList<>();
        byFile.forEach((file, keys) -> params.add(new Stage.ParamsDep(file, keys)));
        return params;
    }

    private static void outs(JsonNode list, Stage.Kind kind, List<Stage.Out> outs) {
        for (JsonNode out : list) {
            if (out.isObject()) {
                String path = firstKey(out);
                JsonNode options = out.get(path);
                outs.add(new Stage.Out(
                        path,
                        options.path("cache").asBoolean(true),
                        options.path("persist").asBoolean(false),
                        kind));
            } else {
                outs.add(new Stage.Out(out.asText(), true, false, kind));
            }
        }
    }

    private static String firstKey(JsonNode node) {
        return node.properties().iterator().next().getKey();
    }

    private static DataException invalid(String message) {
        return DataException.failed("'" + NAME + "' is invalid: " + requireNonNull(message, "message is null"));
    }
}
