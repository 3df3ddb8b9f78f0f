package io.axle.data.pipeline;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.data.repo.AtomicFiles;
import io.axle.data.repo.DataException;
import io.axle.data.workspace.OutputRecord;
import io.axle.data.workspace.Workspace;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code dvc repro}: runs the stages of {@code dvc.yaml} whose command, dependencies, params or outputs differ from
 * {@code dvc.lock}, upstream first, and records each in {@code dvc.lock} as soon as it succeeds.
 */
public final class Pipeline {
    private final Workspace workspace;
    private final Path root;
    private final PrintWriter log;

    public Pipeline(Workspace workspace, PrintWriter log) {
        this.workspace = requireNonNull(workspace, "workspace is null");
        this.root = workspace.repo().root();
        this.log = requireNonNull(log, "log is null");
    }

    public ReproReport repro(List<String> targets, boolean force, boolean dry) {
        FileSource source = FileSource.workspace(root);
        if (source.read(PipelineFile.NAME).isEmpty()) {
            throw DataException.failed("'" + PipelineFile.NAME + "' does not exist");
        }
        PipelineFile pipeline = PipelineFile.load(source);
        LockFile lock = LockFile.load(source);
        boolean lockExisted = Files.exists(root.resolve(LockFile.NAME));
        List<Stage> order = select(order(pipeline.stages()), targets);
        List<String> ran = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        // DVC lists the files to track sorted
        Set<String> gitAdd = new java.util.TreeSet<>();
        for (Stage stage : order) {
            if (stage.frozen()) {
                // DVC never runs a frozen stage, forced or not
                log.println("Stage '" + stage.name() + "' is frozen. Its dependencies are not going to be reproduced.");
                skipped.add(stage.name());
                continue;
            }
            Optional<String> reason = force ? Optional.of("forced") : changed(stage, lock);
            if (reason.isEmpty()) {
                log.println("Stage '" + stage.name() + "' didn't change, skipping");
                skipped.add(stage.name());
                continue;
            }
            log.println("Running stage '" + stage.name() + "':");
            stage.commands().forEach(command -> log.println("> " + command));
            log.flush();
            ran.add(stage.name());
            if (dry) {
                continue;
            }
            run(stage);
            lock.put(stage.name(), record(stage, gitAdd));
            log.println((lockExisted ? "Updating" : "Generating") + " lock file '" + LockFile.NAME + "'");
            lockExisted = true;
            AtomicFiles.write(root.resolve(LockFile.NAME), lock.toYaml().getBytes(StandardCharsets.UTF_8));
            gitAdd.add(LockFile.NAME);
            log.println();
        }
        if (ran.isEmpty()) {
            log.println("Data and pipelines are up to date.");
        } else if (!dry) {
            log.println("To track the changes with git, run:");
            log.println();
            log.println("\tgit add " + String.join(" ", gitAdd));
        }
        log.flush();
        return new ReproReport(ran, skipped, List.copyOf(gitAdd));
    }

    /** Why a stage must run, or empty when dvc.lock still describes it (DVC's {@code stage.changed()}). */
    Optional<String> changed(Stage stage, LockFile lock) {
        Optional<ObjectNode> entry = lock.stage(stage.name());
        if (entry.isEmpty()) {
            return Optional.of("not in " + LockFile.NAME);
        }
        if (stage.alwaysChanged()) {
            return Optional.of("always changed");
        }
        if (!entry.get().path("cmd").equals(stage.cmd())) {
            return Optional.of("changed command");
        }
        Map<String, String> lockedDeps = new LinkedHashMap<>();
        lock.deps(stage.name())
                .forEach(dep -> lockedDeps.put(dep.path(), dep.md5().orElse("")));
        if (!lockedDeps.keySet().equals(new LinkedHashSet<>(stage.deps()))) {
            return Optional.of("changed deps");
        }
        for (String dep : stage.deps()) {
            Path path = path(stage, dep);
            if (!Files.exists(path) || !workspace.record(path, false).md5().equals(lockedDeps.get(dep))) {
                return Optional.of((Files.exists(path) ? "modified: " : "deleted: ") + dep);
            }
        }
        if (!paramsNode(currentParams(stage)).equals(lock.params(stage.name()))) {
            return Optional.of("changed params");
        }
        Map<String, String> lockedOuts = new LinkedHashMap<>();
        lock.outs(stage.name())
                .forEach(out -> lockedOuts.put(out.path(), out.md5().orElse("")));
        if (!lockedOuts
                .keySet()
                .equals(stage.outs().stream().map(Stage.Out::path).collect(java.util.stream.Collectors.toSet()))) {
            return Optional.of("changed outs");
        }
        for (Stage.Out out : stage.outs()) {
            Path path = path(stage, out.path());
            if (!Files.exists(path) || !workspace.record(path, false).md5().equals(lockedOuts.get(out.path()))) {
                return Optional.of((Files.exists(path) ? "modified: " : "deleted: ") + out.path());
            }
        }
        return Optional.empty();
    }

    /** The stages in an order where each comes after the stages making its dependencies; dvc.yaml order otherwise. */
    static List<Stage> order(List<Stage> stages) {
        Map<String, Set<String>> upstream = new LinkedHashMap<>();
        for (Stage stage : stages) {
            Set<String> producers = new LinkedHashSet<>();
            for (String dep : stage.deps()) {
                String depPath = stage.repoPath(dep);
                for (Stage producer : stages) {
                    for (Stage.Out out : producer.outs()) {
                        if (overlaps(depPath, producer.repoPath(out.path()))) {
                            producers.add(producer.name());
                        }
                    }
                }
            }
            upstream.put(stage.name(), producers);
        }
        List<Stage> ordered = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        List<Stage> remaining = new ArrayList<>(stages);
        while (!remaining.isEmpty()) {
            Optional<Stage> next = remaining.stream()
                    .filter(stage -> done.containsAll(upstream.get(stage.name())))
                    .findFirst();
            if (next.isEmpty()) {
                throw DataException.failed("Pipeline has a cycle involving: "
                        + String.join(", ", remaining.stream().map(Stage::name).toList())
                        + ".");
            }
            ordered.add(next.get());
            done.add(next.get().name());
            remaining.remove(next.get());
        }
        return ordered;
    }

    /** The targets and every stage upstream of them, in run order; all stages when there are no targets. */
    private static List<Stage> select(List<Stage> ordered, List<String> targets) {
        if (targets.isEmpty()) {
            return ordered;
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (String target : targets) {
            String name = target.startsWith(PipelineFile.NAME + ":")
                    ? target.substring(PipelineFile.NAME.length() + 1)
                    : target;
            if (ordered.stream().noneMatch(stage -> stage.name().equals(name))) {
                throw DataException.failed("Stage '" + name + "' not found inside '" + PipelineFile.NAME + "' file");
            }
            wanted.add(name);
        }
        // walking backwards, a stage is wanted when a wanted stage depends on one of its outs
        List<Stage> selected = new ArrayList<>();
        for (int i = ordered.size() - 1; i >= 0; i--) {
            Stage stage = ordered.get(i);
            boolean feedsWanted = ordered.stream()
                    .filter(other -> wanted.contains(other.name()))
                    .anyMatch(other -> other.deps().stream()
                            .anyMatch(dep -> stage.outs().stream()
                                    .anyMatch(out -> overlaps(other.repoPath(dep), stage.repoPath(out.path())))));
            if (wanted.contains(stage.name()) || feedsWanted) {
                wanted.add(stage.name());
                selected.addFirst(stage);
            }
        }
        return selected;
    }

    private static boolean overlaps(String a, String b) {
        return a.equals(b) || a.startsWith(b + "/") || b.startsWith(a + "/");
    }

    private void run(Stage stage) {
        for (String dep : stage.deps()) {
            if (!Files.exists(path(stage, dep))) {
                throw new DataException(
                        DataException.Kind.OTHER,
                        "failed to reproduce '" + stage.name() + "': missing dependencies: " + dep);
            }
        }
        for (Stage.Out out : stage.outs()) {
            if (!out.persist()) {
                delete(path(stage, out.path()));
            }
        }
        Path wdir = root.resolve(stage.wdir());
        for (String command : stage.commands()) {
            int exitCode;
            try {
                Process process = new ProcessBuilder("sh", "-c", command)
                        .directory(wdir.toFile())
                        .inheritIO()
                        .start();
                exitCode = process.waitFor();
            } catch (IOException e) {
                throw new DataException(
                        DataException.Kind.OTHER,
                        "failed to reproduce '" + stage.name() + "': failed to run: " + command + ": " + e.getMessage(),
                        e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DataException(
                        DataException.Kind.OTHER, "failed to reproduce '" + stage.name() + "': interrupted", e);
            }
            if (exitCode != 0) {
                throw new DataException(
                        DataException.Kind.OTHER,
                        "failed to reproduce '" + stage.name() + "': failed to run: " + command + ", exited with "
                                + exitCode);
            }
        }
        for (Stage.Out out : stage.outs()) {
            if (!Files.exists(path(stage, out.path()))) {
                throw new DataException(
                        DataException.Kind.OTHER,
                        "failed to reproduce '" + stage.name() + "': output '" + out.path() + "' does not exist");
            }
        }
    }

    /** Hashes the stage's deps and params, saves its cached outs and returns its dvc.lock entry. */
    private ObjectNode record(Stage stage, Set<String> gitAdd) {
        Map<String, OutputRecord> deps = new LinkedHashMap<>();
        for (String dep : stage.deps()) {
            deps.put(dep, workspace.record(path(stage, dep), false));
        }
        Map<String, OutputRecord> outs = new LinkedHashMap<>();
        for (Stage.Out out : stage.outs()) {
            Path path = path(stage, out.path());
            outs.put(out.path(), workspace.record(path, out.cached()));
            if (out.cached() && workspace.gitIgnore(path)) {
                gitAdd.add(workspace.repo().relative(path.getParent().resolve(".gitignore")));
            }
        }
        return LockFile.entry(stage, deps, currentParams(stage), outs);
    }

    /** file (as written, relative to wdir) → key → value now. */
    private Map<String, Map<String, JsonNode>> currentParams(Stage stage) {
        Map<String, Map<String, JsonNode>> params = new LinkedHashMap<>();
        FileSource source = FileSource.workspace(root);
        for (Stage.ParamsDep dep : stage.params()) {
            ParamsFile file = ParamsFile.load(source, stage.repoPath(dep.file()))
                    .orElseThrow(() -> DataException.failed("failed to reproduce '" + stage.name() + "': params file '"
                            + dep.file() + "' does not exist"));
            params.put(dep.file(), file.values(dep.keys()));
        }
        return params;
    }

    private static ObjectNode paramsNode(Map<String, Map<String, JsonNode>> params) {
        ObjectNode node = io.axle.data.dvcfile.DvcYaml.newObject();
        params.forEach((file, values) -> {
            ObjectNode fileNode = node.putObject(file);
            values.forEach(fileNode::set);
        });
        return node;
    }

    private Path path(Stage stage, String path) {
        return root.resolve(stage.repoPath(path));
    }

    private static void delete(Path path) {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
