package io.axle.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3ConfigTest {
    @Test
    void bucketAndPrefixComeFromTheUri() {
        S3Config config = S3Config.fromEnvironment("s3://models/team/axle/", Map.of());

        assertThat(config.bucket()).isEqualTo("models");
        assertThat(config.prefix()).isEqualTo(BlobKey.of("team/axle"));
        assertThat(config.location()).isEqualTo("s3://models/team/axle");
        assertThat(S3Config.fromEnvironment("s3://models", Map.of()).prefix()).isEqualTo(BlobKey.ROOT);
        assertThat(S3Config.fromEnvironment("s3://models/", Map.of()).prefix()).isEqualTo(BlobKey.ROOT);
    }

    @Test
    void awsNeedsNoEndpointAndUsesVirtualHostedBuckets() {
        S3Config config = S3Config.fromEnvironment("s3://models", Map.of("AWS_REGION", "eu-west-1"));

        assertThat(config.endpoint()).isEmpty();
        assertThat(config.pathStyle()).isFalse();
        assertThat(config.region()).contains("eu-west-1");
        assertThat(config.credentials()).isEmpty();
        assertThat(config.multipartThreshold()).isEqualTo(64 * S3Config.MIB);
        assertThat(config.partSize()).isEqualTo(16 * S3Config.MIB);
    }

    @Test
    void anEndpointForCephOrMinioTurnsOnPathStyle() {
        S3Config mlflow = S3Config.fromEnvironment(
                "s3://models",
                Map.of(
                        "MLFLOW_S3_ENDPOINT_URL", "http://rgw.local:7480",
                        "AWS_ENDPOINT_URL", "http://other:9000"));
        S3Config aws = S3Config.fromEnvironment("s3://models", Map.of("AWS_ENDPOINT_URL", "http://minio:9000"));
        S3Config blank = S3Config.fromEnvironment(
                "s3://models", Map.of("MLFLOW_S3_ENDPOINT_URL", " ", "AWS_ENDPOINT_URL", "http://minio:9000"));

        assertThat(mlflow.endpoint()).contains(URI.create("http://rgw.local:7480"));
        assertThat(mlflow.pathStyle()).isTrue();
        assertThat(aws.endpoint()).contains(URI.create("http://minio:9000"));
        assertThat(blank.endpoint()).contains(URI.create("http://minio:9000"));
    }

    @Test
    void regionAndCredentialsComeFromTheEnvironment() {
        S3Config config = S3Config.fromEnvironment(
                "s3://models",
                Map.of(
                        "AWS_DEFAULT_REGION", "us-west-2",
                        "AWS_ACCESS_KEY_ID", "AKIAEXAMPLE",
                        "AWS_SECRET_ACCESS_KEY", "very-secret",
                        "AWS_SESSION_TOKEN", "token"));

        assertThat(config.region()).contains("us-west-2");
        assertThat(config.credentials()).hasValueSatisfying(credentials -> {
            assertThat(credentials.accessKeyId()).isEqualTo("AKIAEXAMPLE");
            assertThat(credentials.secretAccessKey()).isEqualTo("very-secret");
        });
        assertThat(config.toString()).doesNotContain("very-secret").doesNotContain("token");
        assertThat(S3Config.fromEnvironment("s3://models", Map.of("AWS_ACCESS_KEY_ID", "only-half"))
                        .credentials())
                .isEmpty();
    }

    @Test
    void badLocationsAreRefused() {
        assertThatThrownBy(() -> S3Config.fromEnvironment("s3:///prefix", Map.of()))
                .hasMessageContaining("name a bucket");
        assertThatThrownBy(() -> S3Config.fromEnvironment("s3://models/a/../b", Map.of()))
                .hasMessageContaining("'.' and '..' segments are not allowed");
        assertThatThrownBy(() -> S3Config.fromEnvironment("gs://models", Map.of()))
                .hasMessageContaining("write s3://bucket/prefix");
        assertThatThrownBy(() -> S3Config.fromEnvironment("s3://models", Map.of("AWS_ENDPOINT_URL", "minio:9000")))
                .hasMessageContaining("Invalid S3 endpoint");
        assertThatThrownBy(
                        () -> S3Config.fromEnvironment("s3://models", Map.of()).withMultipart(64, 4))
                .hasMessageContaining("part size 4 is out of range");
    }

    @Test
    void destinationsOpenTheirStore(@TempDir Path directory) {
        try (BlobStore local = BlobStores.open(directory.resolve("a").toString(), Map.of());
                BlobStore fileUri =
                        BlobStores.open(directory.resolve("b").toUri().toString(), Map.of());
                BlobStore s3 = BlobStores.open(
                        "s3://models/p", Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:1", "AWS_REGION", "x"))) {
            assertThat(local).isInstanceOf(LocalBlobStore.class);
            assertThat(((LocalBlobStore) fileUri).root().getFileName().toString())
                    .isEqualTo("b");
            assertThat(s3).isInstanceOf(S3BlobStore.class);
        }
    }
}
