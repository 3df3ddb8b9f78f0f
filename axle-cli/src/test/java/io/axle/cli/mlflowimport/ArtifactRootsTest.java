package io.axle.cli.mlflowimport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class ArtifactRootsTest {
    @ParameterizedTest
    @CsvSource({
        "mlflow-artifacts:/1/abc/artifacts, 1/abc/artifacts",
        "mlflow-artifacts:/1/abc/artifacts/, 1/abc/artifacts",
        "mlflow-artifacts://mlflow:5000/1/abc/artifacts, 1/abc/artifacts",
        "mlflow-artifacts:/registry-import/fraud/3, registry-import/fraud/3",
        "http://mlflow:5000/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts, 1/abc/artifacts",
        "https://host/prefix/api/2.0/mlflow-artifacts/artifacts/x, x"
    })
    void anArtifactUriBehindTheProxyNamesItsPathThere(String uri, String path) {
        assertThat(ArtifactRoots.proxyPath(uri)).contains(path);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"file:///srv/mlruns/1/abc/artifacts", "s3://bucket/1/abc", "/srv/mlruns", "http://host/x", "::"})
    void anArtifactUriElsewhereIsNotBehindTheProxy(String uri) {
        assertThat(ArtifactRoots.proxyPath(uri)).isEmpty();
    }
}
