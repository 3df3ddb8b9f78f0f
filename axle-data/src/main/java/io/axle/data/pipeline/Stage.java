package io.axle.data.pipeline;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One stage of {@code dvc.yaml}. Paths are as written, relative to {@code wdir} (itself relative to the repository
 * root, "" for the root), which is how dvc.lock records them too.
 */
public record Stage(
        String name,
        JsonNode cmd,
        String wdir,
        List<String> deps,
        List<ParamsDep> params,
        List<Out> outs,
        boolean alwaysChanged,
        boolean frozen) {
    public Stage {
        requireNonNull(name, "name is null");
        requireNonNull(cmd, "cmd is null");
        requireNonNull(wdir, "wdir is null");
        deps = List.copyOf(deps);
        params = List.copyOf(params);
        outs = List.copyOf(outs);
    }

    /** The commands to run, one after another: {@code cmd} may be a string or a list of strings. */
    public List<String> commands() {
        if (cmd.isArray()) {
            return java.util.stream.StreamSupport.stream(cmd.spliterator(), false)
                    .map(JsonNode::asText)
                    .toList();
        }
        return List.of(cmd.asText());
    }

    /** The repository-relative path of a path written in this stage. */
    public String repoPath(String path) {
        String joined = wdir.isEmpty() ? path : wdir + "/" + path;
        return java.nio.file.Path.of(joined).normalize().toString().replace(java.io.File.separatorChar, '/');
    }

    /** {@code params:} entries: a file and its keys; no keys means every parameter in the file. */
    public record ParamsDep(String file, List<String> keys) {
        public ParamsDep {
            requireNonNull(file, "file is null");
            keys = List.copyOf(keys);
        }
    }

    /** An entry of {@code outs}, {@code metrics} or {@code plots}. */
    public record Out(String path, boolean cached, boolean persist, Kind kind) {
        public Out {
            requireNonNull(path, "path is null");
            requireNonNull(kind, "kind is null");
        }
    }

    public enum Kind {
        OUT,
        METRIC,
        PLOT
    }
}
