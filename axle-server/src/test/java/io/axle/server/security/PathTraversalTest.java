package io.axle.server.security;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.server.db.Dialect;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.ApiClient.Response;
import io.axle.server.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The payload classes of MLflow's published path-traversal CVEs, sent to every endpoint of a real server that takes a
 * path, an artifact location, a model source, a model URI or a model name. Whatever the answer, it is a 4xx, no byte
 * of a canary file outside the artifacts destination ever appears in it, and nothing outside the destination is
 * written, replaced or deleted.
 *
 * <ul>
 *   <li>CVE-2023-1177: a model version whose {@code source} is a local path outside the store, read back through the
 *       artifact endpoints.
 *   <li>CVE-2023-2780: the 1177 fix bypassed with backslashes and {@code %2F} in {@code file:} sources.
 *   <li>CVE-2023-6015: {@code PUT /api/2.0/mlflow-artifacts/artifacts/<path>} with an encoded traversal writes anywhere.
 *   <li>CVE-2024-1558: {@code path} of the artifact download endpoints and sources with {@code #} fragments that hide
 *       a traversal from the check.
 *   <li>CVE-2024-1560: double URL-encoding past a single decode, in artifact delete and list, and in {@code run_id}.
 *   <li>CVE-2024-3573: sources whose scheme hides that they are local ({@code file:} variants, encoded schemes).
 * </ul>
 *
 * Paths do not depend on the database, so H2 alone runs this.
 */
@DisplayName("Path traversal (MLflow CVE payload classes)")
class PathTraversalTest {
    private static final String CANARY = "axle-canary-" + UUID.randomUUID();
    /** The name of files that requests try to plant outside; responses may echo it, unlike the canary. */
    private static final String PLANTED = "planted-" + UUID.randomUUID();

    private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts";
    private static final String AJAX_PROXY = "/ajax-api/2.0/mlflow-artifacts/artifacts";
    private static final AtomicInteger NAMES = new AtomicInteger();

    @TempDir
    static Path dataDirectory;

    static TestServer server;
    static ApiClient api;
    static Path artifacts;
    static Path canary;
    static Path outsideCanary;
    static String runId;
    static String runRoot;
    static String model;
    static Map<String, String> outsideBefore;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start(Dialect.H2, dataDirectory);
        api = server.client();
        artifacts = dataDirectory.resolve("artifacts").toRealPath();
        // next to the store, where '..' from its top lands, and in a directory of its own
        canary = Files.writeString(dataDirectory.resolve("canary.txt"), CANARY);
        outsideCanary = Files.writeString(
                Files.createDirectories(dataDirectory.resolve("outside")).resolve("canary.txt"), CANARY);

        JsonNode run = ok(api.post("runs/create", Map.of("experiment_id", "0"))).path("run");
        runId = run.path("info").path("run_id").asText();
        runRoot = run.path("info").path("artifact_uri").asText().replaceFirst("^mlflow-artifacts:/", "");
        ok(api.put(PROXY + "/" + runRoot + "/model/MLmodel", "flavors: {}\n".getBytes(UTF_8)));
        // symbolic links planted in the store by someone with disk access, leading out of it
        Path runDirectory = artifacts.resolve(runRoot);
        Files.createSymbolicLink(runDirectory.resolve("escape"), outsideCanary.getParent());
        Files.createSymbolicLink(runDirectory.resolve("escape.txt"), canary);
        Files.createSymbolicLink(artifacts.resolve("up"), dataDirectory);
        Files.createSymbolicLink(artifacts.resolve("dangling"), dataDirectory.resolve("not-there-yet"));

        model = "traversal-target";
        ok(api.post("registered-models/create", Map.of("name", model)));
        outsideBefore = outsideTheStore();
    }

    @AfterAll
    static void stop() throws IOException {
        try {
            assertThat(bytesCopiedIntoTheStore())
                    .as("canary bytes inside the store")
                    .isEmpty();
        } finally {
            server.close();
        }
    }

    /** Every case ends with the world outside the store as it began: same files, same bytes, same times. */
    @AfterEach
    void nothingOutsideTheStoreChanged() throws IOException {
        assertThat(outsideTheStore()).isEqualTo(outsideBefore);
        assertThat(Path.of("/tmp/" + PLANTED)).doesNotExist();
    }

    // ---- the artifact proxy: GET, PUT, DELETE and list

    static Stream<Arguments> proxyPaths() {
        return Stream.of(
                argumentSet("CVE-2023-6015 encoded ../ in a PUT path", "..%2F..%2Fcanary.txt"),
                argumentSet("CVE-2023-6015 %2e%2e%2f", "%2e%2e%2f%2e%2e%2fcanary.txt"),
                argumentSet("CVE-2023-6015 %2e%2e segments", "%2e%2e/canary.txt"),
                argumentSet("CVE-2023-6015 ../ below a real directory", "0/%2e%2e/%2e%2e/canary.txt"),
                argumentSet("CVE-2024-1560 double encoding", "%252e%252e%252fcanary.txt"),
                argumentSet("CVE-2024-1560 triple encoding", "%25252e%25252e/canary.txt"),
                argumentSet("CVE-2023-2780 backslashes", "..%5c..%5ccanary.txt"),
                argumentSet("CVE-2023-2780 leading backslash", "%5c..%5coutside%5ccanary.txt"),
                argumentSet("absolute path", "%2Fetc%2Fpasswd"),
                argumentSet("absolute path to the canary", URLEncoder.encode(canary.toString(), UTF_8)),
                argumentSet("Windows drive", "C:%5cWindows%5cwin.ini"),
                argumentSet("NUL byte", "canary.txt%00.png"),
                argumentSet("CVE-2024-1558 # fragment", "x%23%2f..%2f..%2fcanary.txt"),
                argumentSet("file: URI as a path", "file:%2F%2F%2Fetc%2Fpasswd"),
                argumentSet("symbolic link to a directory outside", runRoot + "/escape/canary.txt"),
                argumentSet("symbolic link to a file outside", runRoot + "/escape.txt"),
                argumentSet("symbolic link to the store's parent", "up/canary.txt"),
                argumentSet("symbolic link to the store's parent, deeper", "up/outside/canary.txt"),
                argumentSet("dangling symbolic link out of the store", "dangling/" + PLANTED));
    }

    /** Sent over a socket of its own each, since the server closes a connection whose request it turns away. */
    @ParameterizedTest
    @MethodSource("proxyPaths")
    void theArtifactProxyRefusesEveryMethod(String path) {
        for (String prefix : List.of(PROXY, AJAX_PROXY)) {
            for (String method : List.of("GET", "PUT", "DELETE")) {
                refused(exchange(method + " " + prefix + "/" + path), method + " " + path);
            }
            refused(exchange("GET " + prefix + "?path=" + path), "list " + path);
        }
    }

    static Stream<Arguments> listingPaths() {
        return Stream.of(
                argumentSet("plain ..", ".."),
                argumentSet("../", "../"),
                argumentSet("../outside", "../outside"),
                argumentSet("absolute", "/etc"),
                argumentSet("CVE-2024-1560 %2e%2e", "%2e%2e"),
                argumentSet("CVE-2024-1560 double encoding", "%252e%252e"),
                argumentSet("CVE-2023-2780 backslash", "..%5c"),
                argumentSet("symbolic link to a directory outside", runRoot + "/escape"),
                argumentSet("symbolic link to the store's parent", "up"));
    }

    @ParameterizedTest
    @MethodSource("listingPaths")
    void proxyListingsStayInTheStore(String path) {
        refused(exchange("GET " + PROXY + "?path=" + path), "list " + path);
    }

    /** Sent byte for byte over a socket, so no client resolves the dots first. */
    static Stream<Arguments> rawRequests() {
        return Stream.of(
                argumentSet("CVE-2023-6015 GET ../", "GET " + PROXY + "/../../canary.txt"),
                argumentSet("CVE-2023-6015 PUT ../", "PUT " + PROXY + "/../../outside/" + PLANTED),
                argumentSet("CVE-2023-6015 PUT %2e%2e", "PUT " + PROXY + "/%2e%2e/%2e%2e/" + PLANTED),
                argumentSet("CVE-2024-1560 DELETE ../", "DELETE " + PROXY + "/../outside/canary.txt"),
                argumentSet("CVE-2024-1560 DELETE %2e%2e", "DELETE " + PROXY + "/%2e%2e/outside"),
                argumentSet("CVE-2023-2780 raw backslashes", "GET " + PROXY + "/..\\..\\canary.txt"),
                argumentSet("double slash to an absolute path", "GET " + PROXY + "//etc/passwd"),
                argumentSet("path parameter ..;", "GET " + PROXY + "/..;/..;/canary.txt"),
                argumentSet("list ?path=../", "GET " + PROXY + "?path=../.."),
                argumentSet("NUL byte PUT", "PUT " + PROXY + "/canary.txt%00.png"),
                argumentSet("NUL byte DELETE", "DELETE " + PROXY + "/canary.txt%00.png"),
                argumentSet(
                        "CVE-2024-1558 get-artifact ../", "GET /get-artifact?run_id=RUN&path=../../../../canary.txt"),
                argumentSet(
                        "CVE-2024-1558 # in get-artifact", "GET /get-artifact?run_id=RUN&path=x#/../../../canary.txt"));
    }

    @ParameterizedTest
    @MethodSource("rawRequests")
    void rawRequestsNeverReachOutside(String requestLine) {
        String request = requestLine.replace("RUN", runId);

        refused(exchange(request), request);
    }

    @Test
    void deletingADirectoryDeletesALinkInItNotWhatItPointsTo() throws IOException {
        ok(api.put(PROXY + "/doomed/a.txt", "a".getBytes(UTF_8)));
        Path link = Files.createSymbolicLink(artifacts.resolve("doomed/escape"), outsideCanary.getParent());

        ok(delete(PROXY + "/doomed"));

        assertThat(link).doesNotExist();
        assertThat(outsideCanary).hasContent(CANARY);
    }

    // ---- a run's artifacts: artifacts/list and get-artifact

    static Stream<Arguments> runPaths() {
        return Stream.of(
                argumentSet("CVE-2024-1558 ../ in get-artifact path", "../../../../canary.txt"),
                argumentSet("CVE-2024-1558 ../ after a real directory", "model/../../../../../canary.txt"),
                argumentSet("CVE-2024-1558 # fragment", "x#/../../../../canary.txt"),
                argumentSet("CVE-2024-1560 %2e%2e", "%2e%2e/%2e%2e/%2e%2e/%2e%2e/canary.txt"),
                argumentSet("CVE-2024-1560 ..%2f", "..%2f..%2f..%2f..%2fcanary.txt"),
                argumentSet("CVE-2024-1560 double encoding", "%252e%252e%252f%252e%252e%252fcanary.txt"),
                argumentSet("CVE-2023-2780 backslashes", "..\\..\\..\\..\\canary.txt"),
                argumentSet("CVE-2023-2780 %5c", "..%5c..%5c..%5c..%5ccanary.txt"),
                argumentSet("absolute path", "/etc/passwd"),
                argumentSet("absolute path to the canary", canary.toString()),
                argumentSet("NUL byte", "model/MLmodel\u0000.txt"),
                argumentSet("file: URI", "file:///etc/passwd"),
                argumentSet("symbolic link to a directory outside", "escape/canary.txt"),
                argumentSet("symbolic link to a file outside", "escape.txt"));
    }

    @ParameterizedTest
    @MethodSource("runPaths")
    void runArtifactEndpointsRefuse(String path) {
        String query = "run_id=" + runId + "&path=" + encode(path);
        refused(api.get("/get-artifact?" + query), "get-artifact " + path);
        refused(api.get("/get-artifact?run_uuid=" + runId + "&path=" + encode(path)), "get-artifact (run_uuid)");
        refused(api.get("artifacts/list?" + query), "artifacts/list " + path);
        refused(api.get("/ajax-api/2.0/mlflow/artifacts/list?" + query), "ajax artifacts/list " + path);
    }

    static Stream<Arguments> runIds() {
        return Stream.of(
                argumentSet("CVE-2024-1560 run_id ../", "../../.."),
                argumentSet("CVE-2024-1560 run_id %2e%2e", "%2e%2e"),
                argumentSet("CVE-2024-1560 run_id after a real run", "RUN/../../.."),
                argumentSet("absolute run_id", "/etc"),
                argumentSet("run_id with NUL", "RUN\u0000"));
    }

    @ParameterizedTest
    @MethodSource("runIds")
    void runIdsAreIdsNotPaths(String id) {
        String runIdPayload = encode(id.replace("RUN", runId));
        refused(api.get("/get-artifact?run_id=" + runIdPayload + "&path=canary.txt"), "get-artifact run_id " + id);
        refused(api.get("artifacts/list?run_id=" + runIdPayload + "&path="), "artifacts/list run_id " + id);
        refused(
                api.post(
                        "model-versions/create",
                        Map.of("name", model, "source", "runs:/" + id.replace("RUN", runId) + "/canary.txt")),
                "runs:/ source " + id);
    }

    // ---- experiments/create artifact_location

    static Stream<Arguments> refusedLocations() {
        return Stream.of(
                argumentSet("plain ..", "../outside"),
                argumentSet("mlflow-artifacts:/ with ..", "mlflow-artifacts:/../../outside"),
                argumentSet("CVE-2024-1558 http:///# fragment with ..", "http:///#/../../../../../../etc/"),
                argumentSet("file: with ..", "file:///tmp/../etc"),
                argumentSet("CVE-2023-2780 backslashes", "..\\..\\outside"),
                argumentSet("NUL byte", "mlflow-artifacts:/x\u0000"));
    }

    @ParameterizedTest
    @MethodSource("refusedLocations")
    void experimentLocationsThatClimbAreRefused(String location) {
        Response created = api.post("experiments/create", Map.of("name", unique("exp"), "artifact_location", location));

        assertThat(created.status()).as(created.body()).isEqualTo(400);
    }

    /**
     * MLflow takes any artifact location (S3, a client's disk), so these are stored; what this server never does is
     * read or write through them outside its destination.
     */
    static Stream<Arguments> outsideLocations() {
        return Stream.of(
                argumentSet("CVE-2023-1177 absolute path outside", "/etc"),
                argumentSet("CVE-2023-1177 file: outside", "file:///etc"),
                argumentSet("the store's parent", "DATA"),
                argumentSet("file: of the store's parent", "file://DATA"),
                argumentSet("CVE-2024-1560 %2e%2e in a file: location", "file://ARTIFACTS/%2e%2e"),
                argumentSet("CVE-2024-1560 %2e%2e in mlflow-artifacts:", "mlflow-artifacts:/%2e%2e%2f%2e%2e"),
                argumentSet("CVE-2024-1560 double encoding", "mlflow-artifacts:/%252e%252e/%252e%252e"),
                argumentSet("CVE-2024-1558 # fragment, encoded", "http:///#%2f..%2f..%2fetc"),
                argumentSet("CVE-2024-3573 file: on another host", "file://evil.example/share"),
                argumentSet("link metadata service", "http://169.254.169.254/latest/meta-data"),
                argumentSet("symbolic link out, as a file: location", "file://ARTIFACTS/up"));
    }

    @ParameterizedTest
    @MethodSource("outsideLocations")
    void runsInExperimentsOutsideTheStoreAreNeverServed(String template) {
        String location = template.replace("ARTIFACTS", artifacts.toString()).replace("DATA", dataDirectory.toString());
        Response created = api.post("experiments/create", Map.of("name", unique("exp"), "artifact_location", location));
        if (created.status() != 200) {
            refused(created, "experiments/create " + location);
            return;
        }
        String experimentId = created.json().path("experiment_id").asText();
        String id = ok(api.post("runs/create", Map.of("experiment_id", experimentId)))
                .path("run")
                .path("info")
                .path("run_id")
                .asText();

        refused(api.get("artifacts/list?run_id=" + id), "list of a run in " + location);
        for (String path : List.of("canary.txt", "../canary.txt", "../../canary.txt", "../../../canary.txt")) {
            refused(api.get("/get-artifact?run_id=" + id + "&path=" + encode(path)), "get-artifact " + path);
        }
        refused(api.post("model-versions/create", Map.of("name", model, "source", "runs:/" + id)), "runs:/" + id);
        refused(api.get("/api/2.0/axle/models/resolve?uri=" + encode("runs:/" + id)), "resolve runs:/" + id);
    }

    // ---- model-versions/create source

    static Stream<Arguments> sources() {
        return Stream.of(
                argumentSet("CVE-2023-1177 file: outside", "file:///etc/passwd"),
                argumentSet("CVE-2023-1177 file: of the canary", "file://CANARY"),
                argumentSet("CVE-2023-1177 absolute path", "/etc/passwd"),
                argumentSet("CVE-2023-1177 absolute path of the canary", "CANARY"),
                argumentSet("CVE-2023-1177 directory outside", "file://OUTSIDE"),
                argumentSet("CVE-2023-1177 /proc", "file:///proc/self/environ"),
                argumentSet("CVE-2023-1177 .. out of the store", "ARTIFACTS/../canary.txt"),
                argumentSet("CVE-2023-1177 file: with .. out of the store", "file://ARTIFACTS/../canary.txt"),
                argumentSet("CVE-2023-2780 file: with %2F", "file://ARTIFACTS/..%2Fcanary.txt"),
                argumentSet("CVE-2023-2780 file: with %2e%2e", "file://ARTIFACTS/%2e%2e/canary.txt"),
                argumentSet("CVE-2023-2780 backslashes", "file:ARTIFACTS\\..\\canary.txt"),
                argumentSet("CVE-2023-2780 backslashes below the top", "file://ARTIFACTS/0\\..\\..\\canary.txt"),
                argumentSet("CVE-2024-1560 double encoding in file:", "file://ARTIFACTS/%252e%252e/canary.txt"),
                argumentSet("CVE-2024-1558 # fragment", "file://ARTIFACTS/RUNROOT#/../../../../canary.txt"),
                argumentSet("CVE-2024-1558 ? query", "file://ARTIFACTS/RUNROOT?/../../../../canary.txt"),
                argumentSet(
                        "CVE-2024-1558 # in mlflow-artifacts:", "mlflow-artifacts:/RUNROOT#/../../../../canary.txt"),
                argumentSet("CVE-2024-3573 file: on another host", "file://evil.example/etc/passwd"),
                argumentSet("CVE-2024-3573 UNC-style host", "file:////evil.example/share/x"),
                argumentSet("CVE-2024-3573 encoded scheme", "%66ile:///etc/passwd"),
                argumentSet("CVE-2024-3573 upper-case scheme", "FILE:///etc/passwd"),
                argumentSet("CVE-2024-3573 opaque file:", "file:../canary.txt"),
                argumentSet("mlflow-artifacts: ..", "mlflow-artifacts:/../canary.txt"),
                argumentSet("mlflow-artifacts: %2e%2e", "mlflow-artifacts:/%2e%2e/canary.txt"),
                argumentSet("mlflow-artifacts: ..%2f", "mlflow-artifacts:/..%2fcanary.txt"),
                argumentSet("mlflow-artifacts: double encoding", "mlflow-artifacts:///%252e%252e%252fcanary.txt"),
                argumentSet("runs:/ with ..", "runs:/RUN/../../../../canary.txt"),
                argumentSet("runs:/ with %2e%2e", "runs:/RUN/%2e%2e/%2e%2e/%2e%2e/%2e%2e/canary.txt"),
                argumentSet("runs:/ with backslashes", "runs:/RUN/..\\..\\..\\..\\canary.txt"),
                argumentSet("runs:/ through a symbolic link", "runs:/RUN/escape"),
                argumentSet("runs:/ to a linked file", "runs:/RUN/escape.txt"),
                argumentSet("models:/ with ..", "models:/../../canary.txt/1"),
                argumentSet(
                        "proxy URL with ..", "http://localhost/api/2.0/mlflow-artifacts/artifacts/../../canary.txt"),
                argumentSet("server-side request to a metadata service", "http://169.254.169.254/latest/meta-data/"),
                argumentSet("NUL byte", "mlflow-artifacts:/RUNROOT/model\u0000/../../canary.txt"));
    }

    @ParameterizedTest
    @MethodSource("sources")
    void modelVersionSourcesStayInTheStore(String template) {
        String source = expand(template);

        refused(api.post("model-versions/create", Map.of("name", model, "source", source)), "source " + source);
        List<String> registered = new ArrayList<>();
        ok(api.get("model-versions/search?filter=" + encode("name='" + model + "'")))
                .path("model_versions")
                .forEach(version -> registered.add(version.path("source").asText()));
        assertThat(registered).as("versions registered").doesNotContain(source);
    }

    @Test
    void registeringARunThatHoldsLinksOutCopiesNothingFromOutside() {
        String name = unique("whole-run");
        ok(api.post("registered-models/create", Map.of("name", name)));

        JsonNode version = ok(api.post("model-versions/create", Map.of("name", name, "source", "runs:/" + runId)))
                .path("model_version");

        assertThat(version.path("status").asText()).isEqualTo("READY");
        JsonNode resolved = ok(api.get("/api/2.0/axle/models/resolve?uri=" + encode("models:/" + name + "/1")));
        List<String> files = new ArrayList<>();
        resolved.path("files").forEach(file -> files.add(file.path("path").asText()));
        assertThat(files).containsExactly("model/MLmodel");
    }

    // ---- models/resolve

    static Stream<Arguments> modelUris() {
        return Stream.of(
                argumentSet("CVE-2024-1558 runs:/ with ..", "runs:/RUN/../../../../canary.txt"),
                argumentSet(
                        "CVE-2024-1560 runs:/ with %2e%2e%2f",
                        "runs:/RUN/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fcanary.txt"),
                argumentSet("CVE-2023-2780 runs:/ with backslashes", "runs:/RUN/..\\..\\..\\..\\canary.txt"),
                argumentSet("runs:/ through a symbolic link", "runs:/RUN/escape/canary.txt"),
                argumentSet("runs:/ to a linked file", "runs:/RUN/escape.txt"),
                argumentSet("runs:/ with a .. run id", "runs:/../../../etc/passwd"),
                argumentSet("runs:/ with a NUL byte", "runs:/RUN/model\u0000"),
                argumentSet("CVE-2023-1177 file: URI", "file:///etc/passwd"),
                argumentSet("CVE-2023-1177 absolute path", "CANARY"),
                argumentSet("models:/ with ..", "models:/../1"),
                argumentSet("models:/ with a path", "models:/x/..%2f..%2fcanary.txt"),
                argumentSet("mlflow-artifacts: with ..", "mlflow-artifacts:/../canary.txt"),
                argumentSet("server-side request", "http://169.254.169.254/latest/meta-data/"));
    }

    @ParameterizedTest
    @MethodSource("modelUris")
    void resolveStaysInTheStore(String template) {
        String uri = expand(template);

        refused(api.get("/api/2.0/axle/models/resolve?uri=" + encode(uri)), "resolve " + uri);
    }

    // ---- registered model names, which name a directory of registry storage

    static Stream<Arguments> modelNames() {
        return Stream.of(
                argumentSet("plain ..", ".."),
                argumentSet("plain .", "."),
                argumentSet("../ climbing", "../outside"),
                argumentSet("climbing from inside", "a/../../../outside"),
                argumentSet("absolute", "/etc"),
                argumentSet("CVE-2023-2780 backslashes", "..\\..\\outside"),
                argumentSet("NUL byte", "model\u0000"),
                argumentSet("file: URI", "file:///etc"));
    }

    @ParameterizedTest
    @MethodSource("modelNames")
    void modelNamesThatArePathsAreRefused(String name) {
        refused(api.post("registered-models/create", Map.of("name", name)), "create " + name);
        refused(api.post("registered-models/rename", Map.of("name", model, "new_name", name)), "rename to " + name);
    }

    @Test
    void anEncodedDotNameIsRefusedRatherThanDecodedSomewhereLater() {
        // '%' never reaches registry storage: a name is a directory there, and decoding it twice would be '..'
        String name = "%2e%2e-" + NAMES.incrementAndGet();
        refused(api.post("registered-models/create", Map.of("name", name)), "create " + name);
        assertThat(artifacts.resolve("models").resolve(name)).doesNotExist();
    }

    // ---- helpers

    private static void refused(Response response, String described) {
        assertThat(response.status())
                .as("%s -> %s %s", described, response.status(), response.body())
                .isBetween(400, 499);
        assertThat(response.body()).as(described).doesNotContain(CANARY).doesNotContain("root:x:");
    }

    private static JsonNode ok(Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static Response delete(String path) {
        return api.send(HttpRequest.newBuilder(api.uri(path)).DELETE().build());
    }

    private static String expand(String template) {
        return template.replace("ARTIFACTS", artifacts.toString())
                .replace("OUTSIDE", outsideCanary.getParent().toString())
                .replace("CANARY", canary.toString())
                .replace("RUNROOT", runRoot)
                .replace("RUN", runId);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, UTF_8);
    }

    private static String unique(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet();
    }

    /**
     * Sends {@code requestLine} (method and target) as written, byte for byte, so no client resolves dots or
     * escapes first, with the planted bytes as its body.
     */
    private static Response exchange(String requestLine) {
        String request = requestLine + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Length: " + PLANTED.length() + "\r\nConnection: close\r\n\r\n" + PLANTED;
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(request.getBytes(ISO_8859_1));
            socket.getOutputStream().flush();
            String reply = new String(socket.getInputStream().readAllBytes(), ISO_8859_1);
            assertThat(reply).as(requestLine).startsWith("HTTP/1.1 ");
            int status = Integer.parseInt(reply.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
            int bodyStart = reply.indexOf("\r\n\r\n");
            return new Response(status, bodyStart < 0 ? "" : reply.substring(bodyStart + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each file and directory under the data directory but outside the store, with its size, time and digest. */
    private static Map<String, String> outsideTheStore() throws IOException {
        Map<String, String> state = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(dataDirectory)) {
            for (Path path : paths.filter(path -> !path.toAbsolutePath().startsWith(dataDirectory.resolve("artifacts")))
                    .toList()) {
                BasicFileAttributes attributes =
                        Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String described = attributes.isRegularFile()
                        ? attributes.size() + " " + attributes.lastModifiedTime() + " "
                                + sha256(Files.readAllBytes(path))
                        : attributes.isDirectory() ? "directory" : "other";
                state.put(dataDirectory.relativize(path).toString(), described);
            }
        }
        return state;
    }

    /** Files in the store, links not followed, that hold the canary's bytes. */
    private static List<Path> bytesCopiedIntoTheStore() throws IOException {
        try (Stream<Path> paths = Files.walk(artifacts)) {
            List<Path> copies = new ArrayList<>();
            for (Path path : paths.filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS))
                    .toList()) {
                if (new String(Files.readAllBytes(path), UTF_8).contains(CANARY)) {
                    copies.add(path);
                }
            }
            return copies;
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
