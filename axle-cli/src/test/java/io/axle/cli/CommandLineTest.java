package io.axle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.cli.AxleProcess.Result;
import io.axle.common.AxleVersion;
import io.axle.server.testing.ApiClient.Response;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code axle} command as a user meets it: help, version, mistakes, and settings from the environment. */
final class CommandLineTest {
    @TempDir
    Path directory;

    @Test
    void helpListsTheCommandsAndExitsZero() {
        Result result = axle("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Usage: axle").contains("server").contains("--version");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void versionPrintsAxlesVersionAndExitsZero() {
        Result result = axle("--version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("axle " + AxleVersion.current());
    }

    @Test
    void serverHelpListsEveryOptionWithItsEnvironmentVariableAndExitsZero() {
        Result result = axle("server", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
                .contains("Usage: axle server")
                .contains("--host", "AXLE_HOST")
                .contains("--port", "AXLE_PORT")
                .contains("--backend-store-uri", "AXLE_BACKEND_STORE_URI")
                .contains("--artifacts-destination", "AXLE_ARTIFACTS_DESTINATION")
                .contains("--default-artifact-root", "AXLE_DEFAULT_ARTIFACT_ROOT")
                .contains("--[no-]serve-artifacts", "AXLE_SERVE_ARTIFACTS")
                .contains("--data-dir", "AXLE_DATA_DIR");
    }

    @Test
    void helpServerPrintsTheServersHelpAndExitsZero() {
        Result result = axle("help", "server");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo(axle("server", "--help").out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--bogus", "server --prot 5000", "server --port abc", "server --port", "deploy now"})
    void aMistypedCommandLineIsOneLineWithoutATraceAndExitsTwo(String commandLine) {
        Result result = axle(commandLine.split(" "));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertOneLineWithoutTrace(result.err());
        assertThat(result.err()).startsWith("axle: ").contains("--help");
    }

    @Test
    void aPortThatIsNotANumberSaysWhichOptionAndValue() {
        Result result = axle("server", "--port", "abc");

        assertThat(result.err()).contains("--port").contains("abc");
    }

    @Test
    void aPortOutOfRangeIsOneLineWithoutATrace() {
        Result result = axle(
                "server",
                "--port",
                "70000",
                "--data-dir",
                directory.resolve("data").toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertOneLineWithoutTrace(result.err());
        assertThat(result.err()).startsWith("axle: ").contains("70000");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"mysql://user@db/axle", "postgresql://", "postgresql:///axle", "postgresql://db-host", "sqlite"})
    void aMalformedBackendStoreUriIsAClearMessage(String uri) {
        Result result = axle("server", "--port", "0", "--backend-store-uri", uri);

        assertThat(result.exitCode()).isEqualTo(1);
        assertOneLineWithoutTrace(result.err());
        assertThat(result.err()).startsWith("axle: ").containsIgnoringCase("backend store URI");
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://", "s3://bucket/a/../b", "s3://bucket?versionId=1"})
    void aMalformedS3ArtifactsDestinationIsAClearMessage(String destination) {
        Result result = axle(
                "server",
                "--port",
                "0",
                "--data-dir",
                directory.resolve("data").toString(),
                "--artifacts-destination",
                destination);

        assertThat(result.exitCode()).isEqualTo(1);
        assertOneLineWithoutTrace(result.err());
        assertThat(result.err()).startsWith("axle: Invalid S3 location '" + destination + "'");
    }

    @Test
    void aMalformedBackendStoreUriFromTheEnvironmentIsReportedToo() {
        Result result = AxleProcess.run(
                directory, Map.of("AXLE_BACKEND_STORE_URI", "mysql://db/axle", "AXLE_PORT", "0"), "server");

        assertThat(result.exitCode()).isEqualTo(1);
        assertOneLineWithoutTrace(result.err());
        assertThat(result.err()).contains("mysql://db/axle");
    }

    @Test
    void theEnvironmentSetsTheDefaultsTheHelpShows() {
        Result result = AxleProcess.run(
                directory,
                Map.of(
                        "AXLE_PORT", "6123",
                        "AXLE_HOST", "0.0.0.0",
                        "AXLE_DATA_DIR", "/srv/axle",
                        "AXLE_DB_POOL_SIZE", "7"),
                "server",
                "--help");

        assertThat(result.exitCode()).isZero();
        // the help wraps its lines wherever the text falls
        assertThat(result.out().replaceAll("\\s+", " "))
                .contains("default: 6123")
                .contains("default: 0.0.0.0")
                .contains("default: /srv/axle")
                .contains("default: 7");
    }

    @Test
    void theServerListensWhereTheEnvironmentSaysAndKeepsItsDataThere() throws IOException {
        int port = freePort();
        Path data = directory.resolve("from-env");
        Path artifacts = directory.resolve("artifacts-from-env");

        try (AxleProcess server = AxleProcess.startServer(
                directory,
                Map.of(
                        "AXLE_PORT", Integer.toString(port),
                        "AXLE_DATA_DIR", data.toString(),
                        "AXLE_ARTIFACTS_DESTINATION", artifacts.toString(),
                        "AXLE_SERVE_ARTIFACTS", "false"))) {
            Response created = server.client().post("experiments/create", Map.of("name", "from-env"));
            JsonNode experiment = server.client()
                    .get("experiments/get?experiment_id="
                            + created.json().path("experiment_id").asText())
                    .json()
                    .path("experiment");

            assertThat(server.url()).isEqualTo("http://127.0.0.1:" + port);
            assertThat(data.resolve("axle.mv.db")).exists();
            assertThat(experiment.path("artifact_location").asText())
                    .startsWith(artifacts.toUri().toString().replaceAll("/$", ""));
        }
    }

    private Result axle(String... arguments) {
        return AxleProcess.run(directory, Map.of(), arguments);
    }

    private static void assertOneLineWithoutTrace(String err) {
        assertThat(err.strip().lines()).as(err).hasSize(1);
        assertThat(err).doesNotContain("\tat ").doesNotContain("Exception");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
