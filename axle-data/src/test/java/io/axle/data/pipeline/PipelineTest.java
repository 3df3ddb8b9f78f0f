package io.axle.data.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.data.repo.DataException;
import io.axle.data.testing.GitWorkTree;
import io.axle.data.workspace.Workspace;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineTest {
    private static final String PARAMS = """
            prepare:
              split: 0.20
              seed: 20170428
            train:
              epochs: 3
              lr: 0.01
            """;

    private static final String DVC_YAML = """
            stages:
              prepare:
                cmd: mkdir -p prepared && cp raw.txt prepared/train.txt && echo prepare >> runs.log
                deps:
                - raw.txt
                params:
                - prepare.split
                - prepare.seed
                outs:
                - prepared
              train:
                cmd: cat prepared/train.txt > model.bin && printf '{"acc":0.9}' > metrics.json && echo train >> runs.log
                deps:
                - prepared
                params:
                - params.yaml:
                  - train.epochs
                outs:
                - model.bin
                metrics:
                - metrics.json:
                    cache: false
            """;

    /**
     * What DVC 3 writes for this pipeline (ruamel.yaml 0.19 dumped this same data): schema first, DVC's key order,
     * deps and outs by path, params keys sorted, long commands folded at column 80 with the space left at the end.
     */
    private static final String EXPECTED_LOCK = """
            schema: '2.0'
            stages:
              prepare:
                cmd: mkdir -p prepared && cp raw.txt prepared/train.txt && echo prepare >>\s
                  runs.log
                deps:
                - path: raw.txt
                  hash: md5
                  md5: dd8c6a395b5dd36c56d23275028f526c
                  size: 4
                params:
                  params.yaml:
                    prepare.seed: 20170428
                    prepare.split: 0.2
                outs:
                - path: prepared
                  hash: md5
                  md5: fc30beef50436b6d8be66df7fe74ea1d.dir
                  size: 4
                  nfiles: 1
              train:
                cmd: cat prepared/train.txt > model.bin && printf '{"acc":0.9}' >\s
                  metrics.json && echo train >> runs.log
                deps:
                - path: prepared
                  hash: md5
                  md5: fc30beef50436b6d8be66df7fe74ea1d.dir
                  size: 4
                  nfiles: 1
                params:
                  params.yaml:
                    train.epochs: 3
                outs:
                - path: metrics.json
                  hash: md5
                  md5: ea2845f231672d8eeac52a682f82050b
                  size: 11
                - path: model.bin
                  hash: md5
                  md5: dd8c6a395b5dd36c56d23275028f526c
                  size: 4
            """;

    @TempDir
    Path directory;

    private GitWorkTree twoStages() {
        GitWorkTree tree = new GitWorkTree(directory);
        tree.write("raw.txt", "a\nb\n");
        tree.write("params.yaml", PARAMS);
        tree.write("dvc.yaml", DVC_YAML);
        return tree;
    }

    private ReproReport repro(GitWorkTree tree, String... targets) {
        try (Workspace workspace = tree.workspace()) {
            return new Pipeline(workspace, new PrintWriter(new StringWriter())).repro(List.of(targets), false, false);
        }
    }

    @Test
    void firstReproRunsBothStagesAndWritesDvcLockAsDvcDoes() {
        GitWorkTree tree = twoStages();

        ReproReport report = repro(tree);

        assertThat(report.ran()).containsExactly("prepare", "train");
        assertThat(tree.read("runs.log")).isEqualTo("prepare\ntrain\n");
        assertThat(tree.read("dvc.lock")).isEqualTo(EXPECTED_LOCK);
        // cached outs are Git-ignored and in the cache; metrics with cache: false stay for Git
        assertThat(tree.read(".gitignore")).isEqualTo("/prepared\n/model.bin\n");
        assertThat(directory.resolve(".dvc/cache/files/md5/fc/30beef50436b6d8be66df7fe74ea1d.dir"))
                .exists();
        assertThat(directory.resolve(".dvc/cache/files/md5/dd/8c6a395b5dd36c56d23275028f526c"))
                .exists();
        assertThat(directory.resolve(".dvc/cache/files/md5/ea/2845f231672d8eeac52a682f82050b"))
                .doesNotExist();
        assertThat(report.gitAdd()).containsExactly(".gitignore", "dvc.lock");
    }

    @Test
    void aSecondReproRunsNothing() {
        GitWorkTree tree = twoStages();
        repro(tree);

        StringWriter log = new StringWriter();
        ReproReport report;
        try (Workspace workspace = tree.workspace()) {
            report = new Pipeline(workspace, new PrintWriter(log)).repro(List.of(), false, false);
        }

        assertThat(report.ran()).isEmpty();
        assertThat(log.toString())
                .isEqualTo("Stage 'prepare' didn't change, skipping\nStage 'train' didn't change, skipping\n"
                        + "Data and pipelines are up to date.\n");
        assertThat(tree.read("runs.log")).isEqualTo("prepare\ntrain\n");
    }

    @Test
    void changingAParamRerunsOnlyTheStageThatUsesIt() {
        GitWorkTree tree = twoStages();
        repro(tree);
        tree.write("params.yaml", PARAMS.replace("epochs: 3", "epochs: 5"));

        assertThat(repro(tree).ran()).containsExactly("train");
        assertThat(tree.read("dvc.lock")).contains("train.epochs: 5");

        // a param no stage names changes nothing
        tree.write("params.yaml", PARAMS.replace("epochs: 3", "epochs: 5").replace("lr: 0.01", "lr: 0.1"));
        assertThat(repro(tree).ran()).isEmpty();
    }

    @Test
    void changingADependencyRerunsItsStageAndEverythingDownstream() {
        GitWorkTree tree = twoStages();
        repro(tree);
        tree.write("raw.txt", "a\nb\nc\n");

        assertThat(repro(tree).ran()).containsExactly("prepare", "train");
        assertThat(tree.read("dvc.lock")).contains("md5: c72c05fd1937fe49726691e99d969f52.dir");
        assertThat(tree.read("model.bin")).isEqualTo("a\nb\nc\n");
    }

    @Test
    void aChangedOrMissingOutputOrCommandRerunsTheStage() {
        GitWorkTree tree = twoStages();
        repro(tree);
        tree.write("model.bin", "tampered");
        assertThat(repro(tree).ran()).containsExactly("train");

        tree.write("dvc.yaml", DVC_YAML.replace("echo prepare >>", "echo prepare  >>"));
        assertThat(repro(tree).ran()).containsExactly("prepare");
    }

    @Test
    void anAlwaysChangedStageAlwaysRunsAndAFrozenOneNever() {
        GitWorkTree tree = twoStages();
        repro(tree);
        tree.write(
                "dvc.yaml",
                DVC_YAML.replace("  prepare:\n", "  prepare:\n    frozen: true\n")
                        .replace("  train:\n", "  train:\n    always_changed: true\n"));
        tree.write("raw.txt", "changed");

        ReproReport report = repro(tree);

        assertThat(report.ran()).containsExactly("train");
        assertThat(report.skipped()).containsExactly("prepare");
    }

    @Test
    void aTargetRunsOnlyItselfAndWhatItDependsOn() {
        GitWorkTree tree = twoStages();

        assertThat(repro(tree, "prepare").ran()).containsExactly("prepare");
        assertThat(tree.read("dvc.lock")).doesNotContain("train:");
        assertThatThrownBy(() -> repro(tree, "nope")).hasMessage("Stage 'nope' not found inside 'dvc.yaml' file");
    }

    @Test
    void aFailingCommandStopsReproWithDvcsExitCodeAndLeavesItsStageOutOfTheLock() {
        GitWorkTree tree = twoStages();
        tree.write("dvc.yaml", DVC_YAML.replace("cat prepared/train.txt >", "exit 3; cat prepared/train.txt >"));

        assertThatThrownBy(() -> repro(tree))
                .isInstanceOfSatisfying(
                        DataException.class, e -> assertThat(e.exitCode()).isEqualTo(255))
                .hasMessageContaining("failed to reproduce 'train': failed to run: exit 3;")
                .hasMessageEndingWith("exited with 3");
        assertThat(tree.read("dvc.lock")).contains("prepare:").doesNotContain("train:");
    }

    @Test
    void aCycleIsRefusedBeforeAnythingRuns() {
        GitWorkTree tree = new GitWorkTree(directory);
        tree.write("dvc.yaml", """
                stages:
                  a:
                    cmd: echo a >> runs.log
                    deps: [b.out]
                    outs: [a.out]
                  b:
                    cmd: echo b >> runs.log
                    deps: [a.out]
                    outs: [b.out]
                """);

        assertThatThrownBy(() -> repro(tree)).hasMessage("Pipeline has a cycle involving: a, b.");
        assertThat(directory.resolve("runs.log")).doesNotExist();
    }

    @Test
    void aLockFileInDvc1FormatIsRefused() {
        GitWorkTree tree = twoStages();
        tree.write("dvc.lock", """
                prepare:
                  cmd: python src/prepare.py data/data.xml
                  deps:
                  - path: data/data.xml
                    md5: a304afb96060aad90176268345e10355
                """);

        assertThatThrownBy(() -> repro(tree))
                .isInstanceOfSatisfying(
                        DataException.class, e -> assertThat(e.exitCode()).isEqualTo(255))
                .hasMessageContaining("lockfile format 1");
    }

    @Test
    void wdirAndListCommandsAndExecutableOutputsAreRecordedAsDvcDoes() {
        GitWorkTree tree = new GitWorkTree(directory);
        tree.write("sub/in.txt", "x");
        tree.write("dvc.yaml", """
                stages:
                  build:
                    wdir: sub
                    cmd:
                    - cp in.txt tool.sh
                    - chmod +x tool.sh
                    deps:
                    - in.txt
                    outs:
                    - tool.sh
                """);

        repro(tree);

        assertThat(tree.read("dvc.lock")).isEqualTo("""
                        schema: '2.0'
                        stages:
                          build:
                            cmd:
                            - cp in.txt tool.sh
                            - chmod +x tool.sh
                            deps:
                            - path: in.txt
                              hash: md5
                              md5: 9dd4e461268c8034f5c8564e155c67a6
                              size: 1
                            outs:
                            - path: tool.sh
                              hash: md5
                              md5: 9dd4e461268c8034f5c8564e155c67a6
                              size: 1
                              isexec: true
                        """);
        assertThat(tree.read("sub/.gitignore")).isEqualTo("/tool.sh\n");
        assertThat(new String(tree.read("sub/tool.sh").getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .isEqualTo("x");
    }
}
