package io.axle.server.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.storage.BlobKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArtifactLocationsTest {
    @TempDir
    Path directory;

    Path destination;
    ArtifactLocations locations;

    @BeforeEach
    void createDestination() throws IOException {
        destination = Files.createDirectories(directory.resolve("artifacts"));
        locations = ArtifactLocations.in(destination);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "mlflow-artifacts:/1/abc/artifacts",
                "mlflow-artifacts:///1/abc/artifacts",
                "mlflow-artifacts://tracking:5000/1/abc/artifacts",
                "mlflow-artifacts:1/abc/artifacts",
                "https://tracking/prefix/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts",
            })
    void proxiedUrisNamePathsInTheDestination(String uri) {
        assertThat(locations.keyOf(uri)).isEqualTo(BlobKey.of("1/abc/artifacts"));
    }

    @Test
    void localLocationsInsideTheDestinationNameTheirRelativePath() {
        Path run = destination.resolve("0/abc/artifacts");

        assertThat(locations.keyOf(run.toUri().toString())).isEqualTo(BlobKey.of("0/abc/artifacts"));
        assertThat(locations.keyOf("file://localhost" + run)).isEqualTo(BlobKey.of("0/abc/artifacts"));
        assertThat(locations.keyOf(run.toString())).isEqualTo(BlobKey.of("0/abc/artifacts"));
        assertThat(locations.keyOf(destination.toString())).isEqualTo(BlobKey.ROOT);
        assertThat(locations.keyOf(destination + "/0/x/../abc")).isEqualTo(BlobKey.of("0/abc"));
    }

    @Test
    void theDestinationIsKnownThroughASymbolicLinkToo() throws IOException {
        Path link = Files.createSymbolicLink(directory.resolve("link"), destination);

        assertThat(ArtifactLocations.in(link).keyOf(destination.resolve("1/a").toString()))
                .isEqualTo(BlobKey.of("1/a"));
        assertThat(ArtifactLocations.in(link).keyOf(link.resolve("1/a").toString()))
                .isEqualTo(BlobKey.of("1/a"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc", "file:///etc/passwd", "artifacts/../../etc"})
    void localLocationsOutsideTheDestinationAreRefused(String uri) {
        assertThatThrownBy(() -> locations.keyOf(uri))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("'" + uri + "' lies outside the artifacts destination " + destination);
        assertThatThrownBy(() -> locations.keyOf(destination + "/../elsewhere"))
                .hasMessageContaining("lies outside the artifacts destination");
    }

    @Test
    void fileUrisOnOtherHostsAreRefused() {
        assertThatThrownBy(() -> locations.keyOf("file://fileserver" + destination))
                .hasMessageContaining("is on host 'fileserver'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlflow-artifacts:/1/../../etc", "mlflow-artifacts:/1/%2e%2e/%2e%2e/etc"})
    void proxiedUrisCannotClimbOut(String uri) {
        assertThatThrownBy(() -> locations.keyOf(uri))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("is not a valid path in the artifacts destination")
                .extracting(failure -> ((AxleException) failure).errorCode())
                .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "s3://bucket/1/abc/artifacts",
                "gs://bucket/x",
                "wasbs://container@account.blob.core.windows.net/x",
                "hdfs://namenode/x"
            })
    void otherStoresAreNotSupportedYet(String uri) {
        assertThatThrownBy(() -> locations.keyOf(uri))
                .isInstanceOf(AxleException.class)
                .hasMessageStartingWith("Artifact location '" + uri + "' is not supported yet")
                .extracting(failure -> ((AxleException) failure).errorCode())
                .isEqualTo(ErrorCode.NOT_IMPLEMENTED);
    }

    @Test
    void s3UrisInsideAnS3DestinationNameTheirRelativePath() {
        ArtifactLocations s3 = ArtifactLocations.in(new ArtifactsDestination("s3://models/mlflow/", Map.of()));

        assertThat(s3.keyOf("s3://models/mlflow/1/abc/artifacts")).isEqualTo(BlobKey.of("1/abc/artifacts"));
        assertThat(s3.keyOf("s3://models/mlflow/1/abc/artifacts/")).isEqualTo(BlobKey.of("1/abc/artifacts"));
        assertThat(s3.keyOf("s3://models/mlflow")).isEqualTo(BlobKey.ROOT);
        assertThat(s3.keyOf("mlflow-artifacts:/1/abc/artifacts")).isEqualTo(BlobKey.of("1/abc/artifacts"));
        assertThat(ArtifactLocations.in(new ArtifactsDestination("s3://models", Map.of()))
                        .keyOf("s3://models/1/abc"))
                .isEqualTo(BlobKey.of("1/abc"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "s3://models/mlflow-other/1/abc",
                "s3://other/mlflow/1/abc",
                "s3://models/mlflow/../secret",
                "/tmp/artifacts/1/abc",
            })
    void locationsOutsideAnS3DestinationAreRefused(String uri) {
        ArtifactLocations s3 = ArtifactLocations.in(new ArtifactsDestination("s3://models/mlflow", Map.of()));

        assertThatThrownBy(() -> s3.keyOf(uri))
                .isInstanceOf(AxleException.class)
                .extracting(failure -> ((AxleException) failure).errorCode())
                .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://elsewhere/files/x",
                "http://169.254.169.254/latest/meta-data/",
                "mlflow-artifacts:/1/abc/artifacts#/../../../etc",
                "mlflow-artifacts:/1/abc/artifacts?/../../../etc",
                "http://host/api/2.0/mlflow-artifacts/artifacts/1/abc#/../../x"
            })
    void otherUrlsQueriesAndFragmentsAreInvalid(String uri) {
        assertThatThrownBy(() -> locations.keyOf(uri))
                .isInstanceOf(AxleException.class)
                .extracting(failure -> ((AxleException) failure).errorCode())
                .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
    }
}
