package io.axle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code axle data repro|diff|ls|metrics|params} in a real Git working tree, with DVC's output and exit codes. */
final class DataPipelineCommandTest {
    @TempDir
    Path directory;

    record Result(int exitCode, String out, String err) {}

    @BeforeEach
    void gitInit() {
        git("init", "-q");
        assertThat(axle("init").exitCode()).isZero();
    }

    @Test
    void reproRunsChangedStagesAndDiffMetricsAndParamsCompareCommits() throws Exception {
        write("params.yaml", "train:\n  lr: 0.01\n");
        write("raw.txt", "raw");
        write("dvc.yaml", """
                stages:
                  train:
                    cmd: cp raw.txt model.bin && echo '{"acc":0.5}' > metrics.json
                    deps: [raw.txt]
                    params: [train.lr]
                    outs: [model.bin]
                    metrics:
                    - metrics.json:
                        cache: false
                """);

        Result first = axle("repro");
        assertThat(first.exitCode()).isZero();
        assertThat(first.out())
                .startsWith("Running stage 'train':\n> cp raw.txt")
                .contains("Generating lock file 'dvc.lock'")
                .endsWith("To track the changes with git, run:\n\n\tgit add .gitignore dvc.lock\n");
        assertThat(axle("repro").out())
                .isEqualTo("Stage 'train' didn't change, skipping\nData and pipelines are up to date.\n");
        assertThat(axle("repro", "--dry", "-f").out()).startsWith("Running stage 'train':");
        git("add", "-A");
        git("commit", "-q", "-m", "first");

        write("params.yaml", "train:\n  lr: 0.02\n");
        write("raw.txt", "raw2");
        write("dvc.yaml", Files.readString(directory.resolve("dvc.yaml")).replace("0.5", "0.75"));
        assertThat(axle("repro").out()).contains("Updating lock file 'dvc.lock'");

        assertThat(axle("metrics", "show").out()).isEqualTo("Path          acc\nmetrics.json  0.75\n");
        assertThat(axle("metrics", "diff", "--json").out())
                .isEqualTo("{\"metrics.json\": {\"acc\": {\"old\": 0.5, \"new\": 0.75, \"diff\": 0.25}}}\n");
        assertThat(axle("metrics", "diff").out())
                .isEqualTo(
                        "Path          Metric  HEAD  workspace  Change\nmetrics.json  acc     0.5   0.75       0.25\n");
        assertThat(axle("params", "diff").out())
                .isEqualTo("Path         Param     HEAD  workspace\nparams.yaml  train.lr  0.01  0.02\n");
        assertThat(axle("diff", "--json").out())
                .isEqualTo("{\"added\": [], \"deleted\": [], \"modified\": [{\"path\": \"model.bin\"}],"
                        + " \"renamed\": [], \"not in cache\": []}\n");

        git("add", "-A");
        git("commit", "-q", "-m", "second");
        assertThat(axle("diff", "HEAD~1", "HEAD").out())
                .isEqualTo("Modified:\n    model.bin\n\nfiles summary: 1 modified\n");
        assertThat(axle("diff", "HEAD~1", "HEAD", "--targets", "raw.txt").out()).isEmpty();
        assertThat(axle("diff", "--targets", "model.bin", "--json", "--show-hash", "HEAD~1", "HEAD")
                        .out())
                .isEqualTo(
                        "{\"added\": [], \"deleted\": [], \"modified\": [{\"path\": \"model.bin\", \"hash\":"
                                + " {\"old\": \"bdd166af3a63f7be696dd17a218a6ffb\", \"new\": \"7375c9444d65b944e7a0816a589de03b\"}}], \"renamed\": []}\n");
        assertThat(axle("ls", "--json", ".", "--rev", "HEAD").out())
                .contains("{\"isout\": true, \"isdir\": false, \"isexec\": false, \"path\": \"model.bin\"}")
                .doesNotContain(".dvc/");
        assertThat(axle("ls").out())
                .isEqualTo(".dvcignore\n.gitignore\ndvc.lock\ndvc.yaml\nmetrics.json\nmodel.bin\nparams.yaml\n"
                        + "raw.txt\n");
    }

    @Test
    void aFailingStageExitsWith255AndAV1LockFileIsRefused() throws Exception {
        write("dvc.yaml", "stages:\n  broken:\n    cmd: exit 4\n    outs: [x]\n");

        Result failed = axle("repro");
        assertThat(failed.exitCode()).isEqualTo(255);
        assertThat(failed.err()).contains("failed to reproduce 'broken': failed to run: exit 4, exited with 4");
        assertThat(directory.resolve("dvc.lock")).doesNotExist();

        write("dvc.lock", "broken:\n  cmd: exit 4\n");
        Result refused = axle("repro");
        assertThat(refused.exitCode()).isEqualTo(255);
        assertThat(refused.err()).contains("lockfile format 1");
    }

    private Result axle(String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> command = new ArrayList<>(List.of("data", "-C", directory.toString()));
        command.addAll(List.of(arguments));
        int exitCode =
                Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), command.toArray(String[]::new));
        return new Result(exitCode, out.toString(), err.toString());
    }

    private void write(String relative, String content) throws IOException {
        Path file = directory.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private void git(String... arguments) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@t"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("git failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
