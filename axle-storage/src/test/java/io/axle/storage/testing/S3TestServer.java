package io.axle.storage.testing;

import static java.util.Objects.requireNonNull;

import com.adobe.testing.s3mock.S3MockApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3-compatible server (Adobe's S3Mock) in the test JVM, on a free port, with a client to look behind a store's
 * back. One serves every test of a JVM: it takes seconds to start, and each test works in a bucket or prefix of its
 * own.
 */
public final class S3TestServer {
    public static final String ACCESS_KEY = "axle-test-access";
    public static final String SECRET_KEY = "axle-test-secret-never-shown";

    // started once per JVM and stopped with it: a static is the only place such a fixture can live across classes
    private static S3TestServer shared;

    private final URI endpoint;
    private final S3Client client;

    private S3TestServer(URI endpoint, S3Client client) {
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
        this.client = requireNonNull(client, "client is null");
    }

    public static synchronized S3TestServer shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    // getHttpPort is deprecated in favour of getPort, which names the HTTPS port that the tests do not use
    @SuppressWarnings("deprecation")
    private static S3TestServer start() {
        Path root;
        try {
            root = Files.createTempDirectory("axle-s3mock");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the tests log through slf4j-simple; Spring Boot must not try to set up a logging system of its own
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        // S3Mock edits the map it is given
        S3MockApplication application = S3MockApplication.start(new HashMap<>(Map.of(
                S3MockApplication.PROP_HTTP_PORT,
                S3MockApplication.RANDOM_PORT,
                S3MockApplication.PROP_HTTPS_PORT,
                S3MockApplication.RANDOM_PORT,
                "com.adobe.testing.s3mock.store.root",
                root.toString(),
                "spring.main.banner-mode",
                "off",
                S3MockApplication.PROP_SILENT,
                true)));
        URI endpoint = URI.create("http://127.0.0.1:" + application.getHttpPort());
        S3Client client = S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(application::stop, "s3mock-stop"));
        return new S3TestServer(endpoint, client);
    }

    /**
     * Runs the server on its own, for measuring an S3 destination without one at hand: creates the bucket named by
     * the first argument (default {@code bench}), prints the environment a store needs as {@code NAME=value} lines,
     * then serves until killed.
     */
    public static void main(String[] args) throws InterruptedException {
        S3TestServer server = shared();
        String bucket = args.length > 0 ? args[0] : "bench";
        server.client().createBucket(request -> request.bucket(bucket));
        server.environment().forEach((name, value) -> System.out.println(name + "=" + value));
        System.out.println("READY");
        System.out.flush();
        Thread.currentThread().join();
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A client of the server, to see what a store left there. */
    public S3Client client() {
        return client;
    }

    /** The environment a store on this server is configured from, as the server would read it. */
    public Map<String, String> environment() {
        return Map.of(
                "MLFLOW_S3_ENDPOINT_URL", endpoint.toString(),
                "AWS_ACCESS_KEY_ID", ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    }

    /** A new, empty bucket. */
    public String newBucket() {
        String bucket = "axle-" + UUID.randomUUID().toString().substring(0, 18).toLowerCase(Locale.ROOT);
        client.createBucket(request -> request.bucket(bucket));
        return bucket;
    }
}
