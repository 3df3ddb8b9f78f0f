package io.axle.server.artifacts;

import static io.axle.server.artifacts.ArtifactHttp.PROXY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.server.artifacts.ArtifactHttp.Reply;
import io.axle.server.db.Dialect;
import io.axle.server.testing.TestServer;
import io.axle.storage.LocalBlobStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The artifact proxy on a real server, called as MLflow's Python client calls it. */
class ArtifactProxyTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path dataDirectory;

    static TestServer server;
    static ArtifactHttp http;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start(Dialect.H2, dataDirectory);
        http = new ArtifactHttp(server.url());
        Files.writeString(dataDirectory.resolve("secret.txt"), "root:x:0:0");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Path artifacts() {
        return dataDirectory.resolve("artifacts");
    }

    @Test
    void anUploadedFileDownloadsByteForByte() {
        byte[] model = randomBytes(300_000);

        Reply upload = http.upload("1/run1/artifacts/model/model.onnx", model);
        Reply download = http.download("1/run1/artifacts/model/model.onnx");

        assertThat(upload.status()).isEqualTo(200);
        assertThat(upload.text()).isEqualTo("{}");
        assertThat(download.status()).isEqualTo(200);
        assertThat(sha256(download.body())).isEqualTo(sha256(model));
        assertThat(download.header("Content-Length")).isEqualTo("300000");
        assertThat(download.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(download.header("Content-Disposition")).isEqualTo("attachment; filename=model.onnx");
        assertThat(download.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(artifacts().resolve("1/run1/artifacts/model/model.onnx")).hasBinaryContent(model);
    }

    @Test
    void anUploadReplacesTheArtifact() {
        http.upload("1/run2/artifacts/notes.txt", bytes("first, and longer"));
        http.upload("1/run2/artifacts/notes.txt", bytes("second"));

        assertThat(http.download("1/run2/artifacts/notes.txt").text()).isEqualTo("second");
    }

    @Test
    void namesWithSpacesPlusSignsAndAccentsKeepTheirSpelling() {
        Reply upload = http.upload("10/run/artifacts/my%20model+v2%20%C3%A9.txt", bytes("named"));

        Reply download = http.download("10/run/artifacts/my%20model+v2%20%C3%A9.txt");

        assertThat(upload.status()).isEqualTo(200);
        assertThat(artifacts().resolve("10/run/artifacts/my model+v2 é.txt")).hasContent("named");
        assertThat(download.text()).isEqualTo("named");
        assertThat(download.header("Content-Disposition"))
                .isEqualTo("attachment; filename=\"my model+v2 _.txt\"; filename*=UTF-8''my%20model%2Bv2%20%C3%A9.txt");
        assertThat(http.list("10/run/artifacts").json().path("files").findValuesAsText("path"))
                .containsExactly("my model+v2 é.txt");
    }

    @Test
    void contentTypesAreGuessedFromTheNameAsMlflowGuessesThem() {
        String run = "1/types/artifacts/";
        for (String name : new String[] {"MLmodel", "metrics.json", "plot.png", "model.tar.gz", "weights.pt"}) {
            http.upload(run + name, bytes(name));
        }

        assertThat(http.download(run + "MLmodel").header("Content-Type")).isEqualTo("text/plain");
        assertThat(http.download(run + "metrics.json").header("Content-Type")).isEqualTo("text/plain");
        assertThat(http.download(run + "plot.png").header("Content-Type")).isEqualTo("image/png");
        assertThat(http.download(run + "model.tar.gz").header("Content-Type")).isEqualTo("application/x-tar");
        assertThat(http.download(run + "weights.pt").header("Content-Type")).isEqualTo("application/octet-stream");
    }

    @Test
    void listingsShowBaseNamesAndDirectoriesWithoutSizesAsMlflowDoes() {
        http.upload("2/run/artifacts/model/MLmodel", bytes("flavors:\n"));
        http.upload("2/run/artifacts/model/data/weights.bin", randomBytes(1000));
        http.upload("2/run/artifacts/metrics.txt", bytes("loss 0.1\n"));

        assertThat(http.list("2/run/artifacts").json()).isEqualTo(json("""
                        {"files": [
                          {"path": "metrics.txt", "is_dir": false, "file_size": 9},
                          {"path": "model", "is_dir": true}
                        ]}"""));
        assertThat(http.list("2/run/artifacts/model/").json()).isEqualTo(json("""
                        {"files": [
                          {"path": "MLmodel", "is_dir": false, "file_size": 9},
                          {"path": "data", "is_dir": true}
                        ]}"""));
    }

    @Test
    void listingNothingOrAFileIsAnEmptyObject() {
        http.upload("3/run/artifacts/only.txt", bytes("x"));

        assertThat(http.list("3/run/artifacts/missing").text()).isEqualTo("{}");
        assertThat(http.list("3/run/artifacts/only.txt").text()).isEqualTo("{}");
    }

    @Test
    void theTopListsExperimentsAndHidesWritesInProgress() {
        http.upload("4/run/artifacts/a.txt", bytes("a"));

        JsonNode files = http.get(PROXY).json().path("files");

        assertThat(files.findValuesAsText("path")).contains("4").doesNotContain(LocalBlobStore.TEMPORARY_DIRECTORY);
        assertThat(http.list("").json()).isEqualTo(http.get(PROXY).json());
    }

    @Test
    void theAjaxApiServesTheSameArtifacts() {
        http.upload("5/run/artifacts/a.txt", bytes("via api"));

        Reply viaAjax = http.get("/ajax-api/2.0/mlflow-artifacts/artifacts/5/run/artifacts/a.txt");
        Reply listed = http.get("/ajax-api/2.0/mlflow-artifacts/artifacts?path=5/run/artifacts");

        assertThat(viaAjax.text()).isEqualTo("via api");
        assertThat(listed.json().path("files").findValuesAsText("path")).containsExactly("a.txt");
    }

    @Test
    void deletingAFileOrADirectoryTree() {
        http.upload("6/run/artifacts/keep.txt", bytes("k"));
        http.upload("6/run/artifacts/drop.txt", bytes("d"));
        http.upload("6/run/artifacts/model/MLmodel", bytes("m"));
        http.upload("6/run/artifacts/model/data/w.bin", bytes("w"));

        Reply file = http.delete("6/run/artifacts/drop.txt");
        Reply tree = http.delete("6/run/artifacts/model");
        Reply nothing = http.delete("6/run/artifacts/never-there");

        assertThat(file.status()).isEqualTo(200);
        assertThat(file.text()).isEqualTo("{}");
        assertThat(tree.status()).isEqualTo(200);
        assertThat(nothing.status()).isEqualTo(200);
        assertThat(http.list("6/run/artifacts").json().path("files").findValuesAsText("path"))
                .containsExactly("keep.txt");
        assertThat(http.download("6/run/artifacts/drop.txt").status()).isEqualTo(404);
    }

    @Test
    void aMissingArtifactIsNotFound() {
        http.upload("7/run/artifacts/dir/file.txt", bytes("f"));

        Reply missing = http.download("7/run/artifacts/nope.txt");
        Reply directory = http.download("7/run/artifacts/dir");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        assertThat(missing.json().path("message").asText()).isEqualTo("No artifact '7/run/artifacts/nope.txt'");
        assertThat(missing.header("Content-Type")).startsWith("application/json");
        assertThat(directory.status()).isEqualTo(404);
        assertThat(directory.json().path("message").asText()).contains("is a directory");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "%2e%2e/%2e%2e/secret.txt",
                "%2E%2E/secret.txt",
                "1/%2e%2e/%2e%2e/secret.txt",
                "%252e%252e/secret.txt",
                "..%5c..%5csecret.txt",
                "1/run/artifacts/a%0ab",
                "C:/windows/system32",
                "1/run/artifacts/a%23b",
                "file:%2F%2F%2Fetc%2Fpasswd",
                "1//run/x",
                "1/./x",
            })
    void unsafePathsAreRejectedForEveryMethod(String path) {
        for (Reply reply : new Reply[] {
            http.download(path), http.upload(path, bytes("planted")), http.delete(path), http.list(path)
        }) {
            assertThat(reply.status()).as("%s -> %s", path, reply.text()).isEqualTo(400);
            assertThat(reply.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
            assertThat(reply.json().path("message").asText()).startsWith("Invalid path");
        }
        assertThat(dataDirectory.resolve("secret.txt")).hasContent("root:x:0:0");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "../secret.txt",
                "../../secret.txt",
                "/etc/passwd",
                "/..",
                "a/../../secret.txt",
                "a%00b",
                "..%5cx"
            })
    void unsafeListingPathsAreRejected(String path) {
        Reply reply = http.list(path);

        assertThat(reply.status()).as(reply.text()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/api/2.0/mlflow-artifacts/artifacts/../../../secret.txt",
                "/api/2.0/mlflow-artifacts/artifacts/1/../../secret.txt",
                "/api/2.0/mlflow-artifacts/artifacts/..%2F..%2Fsecret.txt",
                "/api/2.0/mlflow-artifacts/artifacts/%2e%2e/%2e%2e/secret.txt",
                "/api/2.0/mlflow-artifacts/artifacts//etc/passwd",
            })
    void rawTraversalRequestsNeverReachAFileOutsideTheStore(String target) {
        String response = rawGet(target);

        assertThat(response).as(response).startsWith("HTTP/1.1 400");
        assertThat(response).contains("INVALID_PARAMETER_VALUE").doesNotContain("root:x");
    }

    /** Jetty turns these away before any route runs: a plain 400, never a file. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "/api/2.0/mlflow-artifacts/artifacts/..;/secret.txt",
                "/api/2.0/mlflow-artifacts/artifacts/..\\secret.txt",
                "/api/2.0/mlflow-artifacts/artifacts/a%00b",
            })
    void requestsTheHttpServerRefusesNeverReachTheStore(String target) {
        String response = rawGet(target);

        assertThat(response).as(response).startsWith("HTTP/1.1 400").doesNotContain("root:x");
    }

    private static String rawGet(String target) {
        return ArtifactHttp.raw(
                server.port(), "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    }

    @Test
    void multipartUploadIsNotImplementedSoMlflowClientsFallBackToOnePut() {
        for (String step : new String[] {"create", "complete", "abort"}) {
            Reply reply = http.post(
                    "/api/2.0/mlflow-artifacts/mpu/" + step + "/8/run/artifacts/big.bin",
                    "{\"path\": \"big.bin\", \"num_parts\": 2}");

            assertThat(reply.status()).isEqualTo(501);
            assertThat(reply.errorCode()).isEqualTo("NOT_IMPLEMENTED");
            assertThat(reply.json().path("message").asText())
                    .startsWith("Multipart upload is not supported for the current artifact repository");
        }
        assertThat(http.post("/api/2.0/mlflow-artifacts/mpu/create/%2e%2e/x", "{}")
                        .status())
                .isEqualTo(400);
    }

    @Test
    void anInterruptedUploadLeavesNothingUnderItsName() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("PUT " + PROXY + "/9/run/artifacts/model.bin HTTP/1.1\r\nHost: localhost\r\n"
                            + "Content-Type: application/octet-stream\r\nContent-Length: 10000000\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(randomBytes(3_000_000));
            out.flush();
            awaitPartialWrite();
        }

        awaitNoPartialWrites();
        assertThat(artifacts().resolve("9/run/artifacts/model.bin")).doesNotExist();
        assertThat(http.download("9/run/artifacts/model.bin").status()).isEqualTo(404);
        assertThat(http.list("9/run/artifacts").text()).isEqualTo("{}");
    }

    private static void awaitPartialWrite() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (partialWrites() == 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertThat(partialWrites()).as("a write in progress").isEqualTo(1);
    }

    private static void awaitNoPartialWrites() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (partialWrites() > 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertThat(partialWrites()).as("writes in progress").isZero();
    }

    private static long partialWrites() throws IOException {
        try (var partials = Files.list(artifacts().resolve(LocalBlobStore.TEMPORARY_DIRECTORY))) {
            return partials.count();
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
