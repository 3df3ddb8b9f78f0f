package io.axle.data.history;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.data.dvcfile.DvcFile;
import io.axle.data.dvcfile.Output;
import io.axle.data.hash.DirManifest;
import io.axle.data.hash.HashName;
import io.axle.data.pipeline.LockFile;
import io.axle.data.pipeline.PipelineFile;
import io.axle.data.pipeline.Stage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The DVC outputs a tree declares: the outs of its {@code .dvc} files and of the stages in its {@code dvc.lock}. Outs
 * with {@code cache: false} are left out: Git keeps them, and DVC's diff and ls treat them as Git's files.
 */
final class TrackedOutputs {
    private TrackedOutputs() {}

    static List<TrackedOutput> collect(GitTree tree, Iterable<String> files) {
        List<TrackedOutput> outputs = new ArrayList<>();
        Path root = tree.root();
        for (String file : files) {
            if (!file.endsWith(DvcFile.SUFFIX) || file.startsWith(".dvc/") || file.contains("/.dvc/")) {
                continue;
            }
            Optional<byte[]> bytes = tree.read(file);
            if (bytes.isEmpty()) {
                continue;
            }
            DvcFile dvcFile = DvcFile.parse(root.resolve(file), bytes.get());
            for (Output out : dvcFile.outs()) {
                if (!out.cached()) {
                    continue;
                }
                String path =
                        root.relativize(dvcFile.outputPath(out)).toString().replace(java.io.File.separatorChar, '/');
                outputs.add(new TrackedOutput(path, out.md5(), out.hashName(), out.executable()));
            }
        }
        PipelineFile pipeline = PipelineFile.load(tree);
        LockFile lock = LockFile.load(tree);
        for (String name : lock.stageNames()) {
            // the lock has paths relative to the stage's wdir, which only dvc.yaml knows
            Stage stage = pipeline.stage(name).orElse(null);
            JsonNode entry = lock.stage(name).orElseThrow();
            for (JsonNode out : entry.path("outs")) {
                String written = out.path("path").asText();
                if (stage != null && uncached(stage, written)) {
                    continue;
                }
                String path = stage == null ? Path.of(written).normalize().toString() : stage.repoPath(written);
                Optional<String> md5 =
                        out.hasNonNull("md5") ? Optional.of(out.get("md5").asText()) : Optional.empty();
                HashName hashName = out.has("hash") ? HashName.MD5 : HashName.MD5_DOS2UNIX;
                outputs.add(new TrackedOutput(
                        path, md5, hashName, out.path("isexec").asBoolean(false)));
            }
        }
        outputs.sort((a, b) -> DirManifest.CODE_POINT_ORDER.compare(a.path(), b.path()));
        return outputs;
    }

    private static boolean uncached(Stage stage, String path) {
        return stage.outs().stream().anyMatch(out -> out.path().equals(path) && !out.cached());
    }
}
