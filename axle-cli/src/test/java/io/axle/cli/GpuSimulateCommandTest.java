package io.axle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.cli.AxleProcess.Result;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code axle gpu simulate} on a small models file. */
final class GpuSimulateCommandTest {
    @TempDir
    Path directory;

    private Path models;

    @BeforeEach
    void writeModels() throws Exception {
        models = directory.resolve("models.csv");
        Files.writeString(models, """
                model,replicas,memory
                large,2,60GiB
                half,2,0.5
                small,2,20GiB
                """);
    }

    private Result simulate(String... arguments) {
        List<String> command = new ArrayList<>(List.of("gpu", "simulate"));
        command.addAll(Arrays.asList(arguments));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode =
                Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), command.toArray(String[]::new));
        return new Result(exitCode, out.toString(), err.toString());
    }

    @Test
    void theTableComparesEveryPolicyAgainstTheLowerBound() {
        Result result = simulate("--gpus", "80GiB", "--models", models.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out())
                .contains("6 replicas of 3 models on as many as needed × 80.0 GiB GPUs; lower bound 3 GPUs")
                .contains("GPUs needed")
                .containsPattern("one-per-gpu +6 +100.0%")
                .containsPattern("best-fit-decreasing +3 +0.0%");
    }

    @Test
    void jsonHasOneResultPerPolicyAsked() throws Exception {
        Result result = simulate(
                "--gpus",
                "4x80GiB",
                "--models",
                models.toString(),
                "--policy",
                "best-fit-decreasing",
                "--releases",
                "3",
                "--models-per-release",
                "2",
                "--seed",
                "5",
                "--json");

        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.path("fleet").path("gpus").asInt()).isEqualTo(4);
        assertThat(json.path("lower_bound_gpus").asInt()).isEqualTo(3);
        assertThat(json.path("releases").path("seed").asInt()).isEqualTo(5);
        assertThat(json.path("results")).hasSize(1);
        JsonNode bestFit = json.path("results").get(0);
        assertThat(bestFit.path("policy").asText()).isEqualTo("best-fit-decreasing");
        assertThat(bestFit.path("gpus_needed").asInt()).isEqualTo(3);
        assertThat(bestFit.path("oom_events").asInt()).isZero();
    }

    @Test
    void aBadModelsFileIsOneLineNamingTheLineAndColumn() throws Exception {
        Files.writeString(models, "model,replicas,memory\nlarge,many,60GiB\n");

        Result result = simulate("--gpus", "80GiB", "--models", models.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().lines()).hasSize(1);
        assertThat(result.err()).contains("models.csv line 2, column 'replicas': 'many'");
    }

    @Test
    void aBadFleetOrPolicyNamesTheFix() {
        assertThat(simulate("--gpus", "lots", "--models", models.toString()).err())
                .contains("write COUNTxSIZE for a fixed fleet");
        assertThat(simulate("--gpus", "80GiB", "--models", models.toString(), "--policy", "random")
                        .err())
                .contains("one-per-gpu, round-robin, least-loaded, best-fit-decreasing or all");
        assertThat(simulate("--gpus", "80GiB").exitCode()).isEqualTo(2);
    }

    @Test
    void helpDescribesTheCsvAndThePolicies() {
        assertThat(simulate("--help").out())
                .contains("model,replicas,memory")
                .contains("best-fit-decreasing")
                .contains("--releases", "--models-per-release", "--memory-change", "--seed", "--json");
    }
}
