package io.axle.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.server.db.Dialect;
import io.axle.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CLI's client against a real Axle server, and against a plain HTTP server that records what it was sent. */
final class TrackingClientTest {
    private static final String HINT = "set --tracking-uri or MLFLOW_TRACKING_URI";

    @TempDir
    Path directory;

    private TestServer server;
    private TrackingClient client;

    @BeforeEach
    void start() {
        server = TestServer.start(Dialect.H2, directory);
        client = TrackingClient.connect(server.url() + "/", Credentials.none(), HINT);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void jsonCallsReturnTheServersAnswer() {
        String id = client.post(TrackingClient.MLFLOW_API + "experiments/create", Map.of("name", "client-test"))
                .path("experiment_id")
                .asText();

        JsonNode experiment = client.get(TrackingClient.MLFLOW_API + "experiments/get", Map.of("experiment_id", id))
                .path("experiment");

        assertThat(experiment.path("name").asText()).isEqualTo("client-test");
        assertThat(client.url()).isEqualTo(server.url());
    }

    @Test
    void anErrorTheServerAnswersCarriesItsCodeAndMessageAndNoCause() {
        assertThatThrownBy(() ->
                        client.get(TrackingClient.MLFLOW_API + "experiments/get", Map.of("experiment_id", "424242")))
                .isInstanceOfSatisfying(AxleException.class, failure -> {
                    assertThat(failure.errorCode()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
                    assertThat(failure.getMessage()).contains("424242").doesNotContain("HTTP");
                    assertThat(failure.getCause()).isNull();
                });
    }

    @Test
    void anUnknownEndpointSaysWhatWasAsked() {
        assertThatThrownBy(() -> client.get(TrackingClient.MLFLOW_API + "no/such/thing", Map.of()))
                .isInstanceOfSatisfying(AxleException.class, failure -> {
                    assertThat(failure.errorCode()).isEqualTo(ErrorCode.ENDPOINT_NOT_FOUND);
                    assertThat(failure.getMessage()).contains("no/such/thing");
                });
    }

    @Test
    void anUnreachableServerIsOneLineWithTheHint() throws IOException {
        String nowhere = "http://127.0.0.1:" + freePort();
        try (TrackingClient unreachable = TrackingClient.connect(nowhere, Credentials.none(), HINT)) {
            assertThatThrownBy(() -> unreachable.get(TrackingClient.MLFLOW_API + "experiments/search", Map.of()))
                    .isInstanceOfSatisfying(AxleException.class, failure -> {
                        assertThat(failure.getMessage())
                                .isEqualTo("Cannot reach the tracking server at " + nowhere + ": connection refused ("
                                        + HINT + ")");
                        assertThat(failure.getCause()).isInstanceOf(ConnectException.class);
                    });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:5000", "ftp://host/x", "http://", "not a url", ""})
    void aUrlThatIsNotHttpIsRefusedWithTheHint(String url) {
        assertThatThrownBy(() -> TrackingClient.connect(url, Credentials.none(), HINT))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("is not a tracking server URL")
                .hasMessageEndingWith("(" + HINT + ")");
    }

    @Test
    void artifactsStreamUpAndDownWithoutBeingHeldWhole() throws IOException {
        long length = 24L * 1024 * 1024;
        String path = TrackingClient.ARTIFACT_PROXY + "/" + TrackingClient.encodePath("big/a file.bin");
        DigestInputStream upload = new DigestInputStream(new GeneratedStream(length), sha256());

        client.upload(path, upload, length);

        byte[] uploaded = upload.getMessageDigest().digest();
        try (Download download = client.download(path, Map.of())) {
            assertThat(download.length()).isEqualTo(length);
            DigestInputStream read = new DigestInputStream(download.content(), sha256());
            assertThat(read.transferTo(OutputStreamSink.INSTANCE)).isEqualTo(length);
            assertThat(read.getMessageDigest().digest()).isEqualTo(uploaded);
        }
    }

    @Test
    void aMissingArtifactIsTheServersNotFound() {
        assertThatThrownBy(() -> client.download(TrackingClient.ARTIFACT_PROXY + "/nothing/here", Map.of()))
                .isInstanceOfSatisfying(
                        AxleException.class,
                        failure -> assertThat(failure.errorCode()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
    }

    @Test
    void credentialsGoInTheAuthorizationHeader() throws IOException {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer recorder = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        recorder.createContext("/", exchange -> {
            received.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        recorder.start();
        String url = "http://127.0.0.1:" + recorder.getAddress().getPort();
        try {
            call(url, Credentials.fromEnvironment(Map.of("MLFLOW_TRACKING_TOKEN", "secret-token")));
            call(
                    url,
                    Credentials.fromEnvironment(
                            Map.of("MLFLOW_TRACKING_USERNAME", "ann", "MLFLOW_TRACKING_PASSWORD", "pa:ss")));
            call(url, Credentials.fromEnvironment(Map.of()));
            call(url.replace("http://", "http://bob:s%40cret@"), Credentials.none());
        } finally {
            recorder.stop(0);
        }

        assertThat(received)
                .containsExactly(
                        "Bearer secret-token", "Basic " + base64("ann:pa:ss"), "null", "Basic " + base64("bob:s@cret"));
    }

    private static void call(String url, Credentials credentials) {
        try (TrackingClient recorded = TrackingClient.connect(url, credentials, HINT)) {
            recorded.get(TrackingClient.MLFLOW_API + "experiments/search", Map.of());
            assertThat(recorded.url()).doesNotContain("@");
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** {@code length} pseudo-random bytes made as they are read, so no test holds a whole file either. */
    private static final class GeneratedStream extends InputStream {
        private final Random random = new Random(11);
        private long remaining;

        GeneratedStream(long length) {
            this.remaining = length;
        }

        @Override
        public int read() {
            if (remaining == 0) {
                return -1;
            }
            remaining--;
            return random.nextInt(256);
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (remaining == 0) {
                return -1;
            }
            int count = (int) Math.min(length, remaining);
            for (int index = 0; index < count; index++) {
                buffer[offset + index] = (byte) random.nextInt(256);
            }
            remaining -= count;
            return count;
        }
    }

    /** Where bytes that only need counting and digesting go. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] buffer, int offset, int length) {}
    }
}
