package io.axle.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.storage.testing.S3TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

class S3BlobStoreTest extends BlobStoreContractTest {
    static final long PART = 5 * S3Config.MIB;

    final S3TestServer server = S3TestServer.shared();
    String bucket;
    String prefix;

    @Override
    BlobStore newStore(Path directory) {
        bucket = server.newBucket();
        prefix = "axle/" + UUID.randomUUID();
        return open("s3://" + bucket + "/" + prefix + "/", 1000);
    }

    S3BlobStore open(String location, int listPageSize) {
        return S3BlobStore.open(S3Config.fromEnvironment(location, server.environment())
                .withMultipart(PART + 1, PART)
                .withListPageSize(listPageSize));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    S3Client raw() {
        return server.client();
    }

    @Test
    void blobsAreObjectsUnderThePrefix() {
        put("1/run/artifacts/MLmodel", "flavors: {}\n");

        assertThat(raw().headObject(request -> request.bucket(bucket).key(prefix + "/1/run/artifacts/MLmodel"))
                        .contentLength())
                .isEqualTo(12);
    }

    @Test
    void aStoreMayCoverAWholeBucket() {
        String whole = server.newBucket();
        try (S3BlobStore top = open("s3://" + whole, 1000)) {
            top.put(BlobKey.of("a/b.txt"), new ByteArrayInputStream(new byte[] {1, 2}));

            assertThat(top.list(BlobKey.ROOT)).containsExactly(new BlobDirectory(BlobKey.of("a")));
            assertThat(raw().headObject(request -> request.bucket(whole).key("a/b.txt"))
                            .contentLength())
                    .isEqualTo(2);
        }
    }

    @Test
    void aBlobLargerThanTheThresholdGoesUpInParts() throws IOException {
        long size = 2 * PART + 3;
        store.put(BlobKey.of("big/known.bin"), generated(size), size);
        store.put(BlobKey.of("big/unknown.bin"), generated(size));

        for (String key : List.of("big/known.bin", "big/unknown.bin")) {
            // S3 gives an object that went up in parts an ETag that ends in the number of parts
            assertThat(raw().headObject(request -> request.bucket(bucket).key(prefix + "/" + key))
                            .eTag())
                    .endsWith("-3\"");
            try (BlobContent content = store.open(BlobKey.of(key));
                    InputStream expected = generated(size)) {
                assertThat(content.info().size()).isEqualTo(size);
                assertThat(content.stream()).hasSameContentAs(expected);
            }
        }
    }

    @Test
    void aSmallBlobOfUnknownLengthGoesUpInOnePut() {
        store.put(BlobKey.of("small.bin"), generated(PART - 1));

        assertThat(raw().headObject(request -> request.bucket(bucket).key(prefix + "/small.bin"))
                        .eTag())
                .doesNotContain("-");
    }

    @Test
    // on a fresh key: S3 keeps the old blob when an upload to its key is aborted, but S3Mock 5.0.0 drops it
    void aSourceFailingMidwayThroughAMultipartUploadLeavesNothing() {
        assertThatThrownBy(() -> store.put(BlobKey.of("model.bin"), failingAfter((int) (2 * PART + 100))))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("nothing was stored")
                .hasMessageContaining("source failed");
        assertThatThrownBy(() -> store.put(BlobKey.of("fresh.bin"), generated(3 * PART), 3 * PART + 1))
                .hasMessageContaining("ended after " + 3 * PART + " of the " + (3 * PART + 1) + " bytes");

        assertThat(store.stat(BlobKey.of("model.bin"))).isEmpty();
        assertThat(store.stat(BlobKey.of("fresh.bin"))).isEmpty();
        assertThat(raw().listMultipartUploads(request -> request.bucket(bucket)).uploads())
                .isEmpty();
    }

    @Test
    void aKnownLengthBetweenPartAndThresholdStreamsInOnePut() throws IOException {
        String whole = server.newBucket();
        try (S3BlobStore roomy = S3BlobStore.open(
                S3Config.fromEnvironment("s3://" + whole, server.environment()).withMultipart(3 * PART, PART))) {
            roomy.put(BlobKey.of("mid.bin"), generated(2 * PART), 2 * PART);

            assertThat(raw().headObject(request -> request.bucket(whole).key("mid.bin"))
                            .eTag())
                    .doesNotContain("-");
            assertThatThrownBy(() -> roomy.put(BlobKey.of("long.bin"), generated(2 * PART + 1), 2 * PART))
                    .hasMessageContaining("longer than the " + 2 * PART + " bytes announced");
            assertThat(roomy.stat(BlobKey.of("long.bin"))).isEmpty();
        }
    }

    @Test
    void listingPagesThroughMoreKeysThanOnePage() {
        try (S3BlobStore paged = open("s3://" + bucket + "/" + prefix, 3)) {
            List<String> expected = new ArrayList<>();
            for (int index = 0; index < 8; index++) {
                put("dir/file-" + index, "x".repeat(index));
                expected.add("dir/file-" + index + " (" + index + ")");
            }
            for (int index = 0; index < 4; index++) {
                put("dir/sub-" + index + "/inner", "y");
                expected.add("dir/sub-" + index + "/");
            }

            assertThat(paged.list(BlobKey.of("dir")).stream()
                            .map(entry -> switch (entry) {
                                case BlobInfo blob -> blob.key() + " (" + blob.size() + ")";
                                case BlobDirectory subdirectory -> subdirectory.key() + "/";
                            })
                            .toList())
                    .containsExactlyElementsOf(expected);
            assertThat(paged.deletePrefix(BlobKey.of("dir"))).isEqualTo(12);
            assertThat(paged.list(BlobKey.of("dir"))).isEmpty();
        }
    }

    @Test
    // the marker a console leaves for an empty "folder" is no blob: its name within the folder is empty
    void folderMarkersAreLeftOutOfListings() {
        put("fine", "y");
        raw().putObject(request -> request.bucket(bucket).key(prefix + "/folder/"), RequestBody.empty());

        assertThat(listed("")).containsExactly("fine (1)", "folder/");
        assertThat(listed("folder")).isEmpty();
    }

    @Test
    void aKeyMayBeBothABlobAndADirectory() {
        put("a/b", "blob");
        put("a/b/c", "under a blob");

        assertThat(listed("a")).containsExactly("a/b (4)", "a/b/");
        assertThat(read("a/b")).isEqualTo("blob");
        assertThat(read("a/b/c")).isEqualTo("under a blob");
    }

    @Test
    void copyingIsServerSide() {
        put("runs/1/model.bin", "weights");

        BlobInfo copied = store.copy(BlobKey.of("runs/1/model.bin"), BlobKey.of("registry/fraud/1/model.bin"));

        assertThat(copied.size()).isEqualTo(7);
        assertThat(read("registry/fraud/1/model.bin")).isEqualTo("weights");
        assertThatThrownBy(() -> store.copy(BlobKey.of("runs/1/missing"), BlobKey.of("x")))
                .extracting(failure -> ((AxleException) failure).errorCode())
                .isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
    }

    @Test
    void clientsUploadPartsToPresignedUrls() throws Exception {
        MultipartUploads uploads = store.multipartUploads().orElseThrow();
        BlobKey key = BlobKey.of("uploads/weights.bin");
        byte[] first = generated(PART).readAllBytes();
        byte[] second = "the rest".getBytes(StandardCharsets.UTF_8);

        String uploadId = uploads.create(key);
        List<UploadedPart> parts = new ArrayList<>();
        try (HttpClient http = HttpClient.newHttpClient()) {
            int number = 1;
            for (byte[] part : List.of(first, second)) {
                PresignedPart presigned = uploads.presignPart(key, uploadId, number, Duration.ofMinutes(5));
                HttpRequest.Builder request =
                        HttpRequest.newBuilder(presigned.url()).PUT(HttpRequest.BodyPublishers.ofByteArray(part));
                presigned.headers().forEach(request::header);
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                parts.add(new UploadedPart(
                        number++, response.headers().firstValue("ETag").orElseThrow()));
            }
        }
        assertThat(store.stat(key)).isEmpty();
        BlobInfo completed = uploads.complete(key, uploadId, parts);

        assertThat(completed.size()).isEqualTo(PART + second.length);
        try (BlobContent content = store.open(key)) {
            assertThat(content.stream().readAllBytes()).startsWith(first).endsWith(second);
        }
        String dropped = uploads.create(BlobKey.of("uploads/dropped.bin"));
        uploads.abort(BlobKey.of("uploads/dropped.bin"), dropped);
        assertThat(raw().listMultipartUploads(request -> request.bucket(bucket)).uploads())
                .isEmpty();
    }

    @Test
    void throttlingIsRetriedWithBackoffUpToTheMaxAttempts() throws IOException {
        put("model.bin", "weights");

        try (ThrottlingRelay relay = new ThrottlingRelay(server.endpoint(), 2);
                S3BlobStore throttled = through(relay, 3)) {
            try (BlobContent content = throttled.open(BlobKey.of("model.bin"))) {
                assertThat(content.stream().readAllBytes())
                        .asString(StandardCharsets.UTF_8)
                        .isEqualTo("weights");
            }
            assertThat(relay.connections()).isEqualTo(3);
        }
        try (ThrottlingRelay relay = new ThrottlingRelay(server.endpoint(), 5);
                S3BlobStore throttled = through(relay, 2)) {
            assertThatThrownBy(() -> throttled.open(BlobKey.of("model.bin")))
                    .hasMessageContaining("Could not read blob 'model.bin' in s3://" + bucket + "/" + prefix)
                    .hasMessageContaining("S3 answered 503 SlowDown")
                    .extracting(failure -> ((AxleException) failure).errorCode())
                    .isEqualTo(ErrorCode.IO_ERROR);
            assertThat(relay.connections()).isEqualTo(2);
        }
    }

    S3BlobStore through(ThrottlingRelay relay, int maxAttempts) {
        Map<String, String> environment = new HashMap<>(server.environment());
        environment.put("MLFLOW_S3_ENDPOINT_URL", relay.endpoint().toString());
        return S3BlobStore.open(S3Config.fromEnvironment("s3://" + bucket + "/" + prefix, environment)
                .withMaxAttempts(maxAttempts));
    }

    @Test
    void aMissingBucketIsTheStoresFaultNamedInTheMessage() {
        try (S3BlobStore nowhere = open("s3://no-such-bucket-here/p", 1000)) {
            assertThatThrownBy(() -> nowhere.list(BlobKey.of("x")))
                    .isInstanceOf(AxleException.class)
                    .hasMessageContaining("s3://no-such-bucket-here/p")
                    .extracting(failure -> ((AxleException) failure).errorCode())
                    .isEqualTo(ErrorCode.IO_ERROR);
        }
    }

    @Test
    void anUnreachableEndpointFailsAfterItsAttemptsWithoutShowingTheSecret() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> environment = new HashMap<>(server.environment());
        environment.put("MLFLOW_S3_ENDPOINT_URL", "http://127.0.0.1:" + closedPort);
        try (S3BlobStore unreachable = S3BlobStore.open(
                S3Config.fromEnvironment("s3://bucket/p", environment).withMaxAttempts(2))) {
            assertThatThrownBy(() -> unreachable.stat(BlobKey.of("k")))
                    .isInstanceOf(AxleException.class)
                    .hasMessageContaining("blob 'k' in s3://bucket/p")
                    .hasMessageNotContaining(S3TestServer.SECRET_KEY)
                    .extracting(failure -> ((AxleException) failure).errorCode())
                    .isEqualTo(ErrorCode.IO_ERROR);
        }
    }
}
