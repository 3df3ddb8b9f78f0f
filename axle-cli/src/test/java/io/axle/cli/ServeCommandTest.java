package io.axle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code axle serve}'s command line: what it refuses, in one line each, before loading anything. */
final class ServeCommandTest {
    @TempDir
    Path directory;

    private record Result(int exitCode, String out, String err) {}

    @Test
    void serveIsOneOfAxlesCommands() {
        Result help = axle("serve", "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out())
                .contains("MODEL_URI")
                .contains("--device")
                .contains("--watch")
                .contains("--report-footprint")
                .contains("--model-cache");
    }

    @Test
    void aDirectoryWithoutAnMlmodelFileIsRefusedInOneLine() throws IOException {
        Path notAModel = Files.createDirectories(directory.resolve("weights"));
        Files.writeString(notAModel.resolve("model.onnx"), "x");

        Result result = axle("serve", notAModel.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err())
                .isEqualTo("axle: '" + notAModel + "' has no MLmodel file, so it is not an MLflow "
                        + "model directory; point at the directory that mlflow.<flavor>.save_model wrote\n");
    }

    @Test
    void badFlagsAreRefusedInOneLineEach() throws IOException {
        Path model = Files.createDirectories(directory.resolve("model"));
        Files.writeString(model.resolve("MLmodel"), "flavors: {}\n");
        String dir = model.toString();

        assertOneLine(axle("serve", directory.resolve("missing").toString()), "is not a directory");
        assertOneLine(axle("serve", "s3://bucket/model"), "is not a model axle serve can load");
        assertOneLine(axle("serve", dir, "--device", "tpu:0"), "use auto, cpu, cuda:<n> or a GPU UUID");
        assertOneLine(axle("serve", dir, "--max-batch-size", "0"), "--max-batch-size is 1 or more");
        assertOneLine(axle("serve", dir, "--max-queue", "0"), "--max-queue is 1 or more");
        assertOneLine(axle("serve", dir, "--max-batch-delay", "soon"), "is not a duration");
        assertOneLine(axle("serve", dir, "--request-timeout", "0s"), "--request-timeout must be longer than 0");
        assertOneLine(axle("serve", dir, "--gpu-memory-limit", "lots"), "is not a size");
        assertOneLine(axle("serve", dir, "--gpu-memory-limit", "4GiB", "--device", "cpu"), "but --device is cpu");
        assertOneLine(axle("serve", dir, "--port", "70000"), "is not a port");
        assertOneLine(axle("serve", dir, "--watch"), "--watch follows a registered model's alias or stage");
        assertOneLine(axle("serve", "models:/fraud/3", "--watch"), "models:/fraud/3 never changes");
        assertOneLine(axle("serve", dir, "--report-footprint"), "is a local directory");
        assertOneLine(axle("serve", dir, "--max-batch-size", "many"), "--max-batch-size");
        assertOneLine(axle("serve"), "MODEL_URI");
    }

    @Test
    void aRegistryUriWithNoServerToAskSaysWhereItLooked() {
        Result result = axle(
                "serve",
                "models:/fraud@champion",
                "--tracking-uri",
                "http://127.0.0.1:1",
                "--model-cache",
                directory.resolve("cache").toString());

        assertOneLine(result, "Cannot reach the tracking server at http://127.0.0.1:1");
        assertThat(directory.resolve("cache")).doesNotExist();
    }

    private static void assertOneLine(Result result, String expected) {
        assertThat(result.exitCode()).as(result.err()).isNotZero();
        assertThat(result.err()).startsWith("axle: ").contains(expected).doesNotContain("Exception");
        assertThat(result.err().strip().lines()).as(result.err()).hasSize(1);
    }

    private static Result axle(String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), arguments);
        return new Result(exitCode, out.toString(), err.toString());
    }
}
