package io.axle.cli;

import io.axle.server.AxleServer;
import io.axle.server.ServerConfig;
import io.axle.server.artifacts.ArtifactsDestination;
import io.axle.server.auth.AuthConfig;
import io.axle.server.auth.Permission;
import io.axle.server.db.BackendStore;
import io.axle.server.deploy.DeployConfig;
import io.axle.server.deploy.gitops.GitCredentialsResolver;
import io.axle.server.deploy.gitops.JGitPublisher;
import io.axle.server.http.HttpLimits;
import io.axle.server.webhooks.WebhookConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code axle server}: the tracking server, with {@code mlflow server}'s flags. */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the Axle server: an MLflow-compatible tracking server and artifact proxy.",
            "Every option can also be set through the environment variable named in its description."
        })
final class ServerCommand implements Runnable {
    @Option(
            names = "--host",
            defaultValue = "${env:AXLE_HOST:-127.0.0.1}",
            description =
                    "Address to listen on (AXLE_HOST; default: ${DEFAULT-VALUE}). Use 0.0.0.0 to accept remote clients.")
    String host;

    @Option(
            names = {"--port", "-p"},
            defaultValue = "${env:AXLE_PORT:-5000}",
            description = "Port to listen on (AXLE_PORT; default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--backend-store-uri",
            defaultValue = "${env:AXLE_BACKEND_STORE_URI}",
            description = "Metadata database (AXLE_BACKEND_STORE_URI): postgresql://user:password@host:port/db, "
                    + "jdbc:postgresql://..., or jdbc:h2:...; default: an H2 file database in ./axle-home/.")
    String backendStoreUri;

    @Option(
            names = "--artifacts-destination",
            defaultValue = "${env:AXLE_ARTIFACTS_DESTINATION}",
            description = "Where the server keeps artifacts it serves (AXLE_ARTIFACTS_DESTINATION; default: "
                    + "the artifacts directory under --data-dir): a directory, or s3://bucket/prefix (endpoint, region and credentials "
                    + "from MLFLOW_S3_ENDPOINT_URL or AWS_ENDPOINT_URL and the AWS_* variables).")
    String artifactsDestination;

    @Option(
            names = "--default-artifact-root",
            defaultValue = "${env:AXLE_DEFAULT_ARTIFACT_ROOT}",
            description =
                    "Artifact location of new experiments (AXLE_DEFAULT_ARTIFACT_ROOT; default: mlflow-artifacts:/ "
                            + "when serving artifacts, else the artifacts destination).")
    String defaultArtifactRoot;

    @Option(
            names = "--serve-artifacts",
            negatable = true,
            defaultValue = "${env:AXLE_SERVE_ARTIFACTS:-true}",
            fallbackValue = "true",
            description =
                    "Proxy artifact uploads and downloads through the server (AXLE_SERVE_ARTIFACTS; default: on).")
    boolean serveArtifacts;

    @Option(
            names = "--data-dir",
            defaultValue = "${env:AXLE_DATA_DIR:-./axle-home}",
            description = "Directory of the embedded H2 database, the artifacts (unless --artifacts-destination says"
                    + " otherwise), the GitOps work clones and the webhook secret key (AXLE_DATA_DIR; default:"
                    + " ${DEFAULT-VALUE}).")
    Path dataDirectory;

    @Option(
            names = "--db-pool-size",
            defaultValue = "${env:AXLE_DB_POOL_SIZE:-16}",
            description = "Database connections to keep (AXLE_DB_POOL_SIZE; default: ${DEFAULT-VALUE}).")
    int databasePoolSize;

    @Option(
            names = "--webhook-allow-private",
            split = ",",
            paramLabel = "HOST|ADDRESS|CIDR",
            defaultValue = "${env:AXLE_WEBHOOK_ALLOW_PRIVATE}",
            description = "Loopback, link-local or private hosts, addresses or CIDR blocks that webhook endpoints may "
                    + "reach (AXLE_WEBHOOK_ALLOW_PRIVATE, comma-separated; default: none, so that webhooks cannot be "
                    + "pointed inside the network).")
    List<String> webhookAllowPrivate;

    @Option(
            names = "--webhook-max-attempts",
            defaultValue = "${env:AXLE_WEBHOOK_MAX_ATTEMPTS:-8}",
            description = "Attempts per webhook delivery before it is given up (AXLE_WEBHOOK_MAX_ATTEMPTS; default: "
                    + "${DEFAULT-VALUE}, over about 18 hours). Webhook secrets are encrypted with AXLE_SECRET_KEY "
                    + "(base64 of 32 bytes), or else with a key generated into --data-dir.")
    int webhookMaxAttempts;

    @Option(
            names = "--auth",
            negatable = true,
            defaultValue = "${env:AXLE_AUTH:-false}",
            fallbackValue = "true",
            description = "Require a user name and password or an API token on every request but /health and "
                    + "/version (AXLE_AUTH; default: off).")
    boolean auth;

    @Option(
            names = "--admin-username",
            defaultValue = "${env:AXLE_ADMIN_USERNAME}",
            description = "With --auth and no user yet: the first admin to create (AXLE_ADMIN_USERNAME), whose "
                    + "password comes from the environment variable AXLE_ADMIN_PASSWORD only.")
    String adminUsername;

    @Option(
            names = "--default-permission",
            defaultValue = "${env:AXLE_DEFAULT_PERMISSION:-READ}",
            paramLabel = "READ|EDIT|MANAGE|NO_PERMISSIONS",
            description = "What users may do with experiments and models that grant them nothing explicitly "
                    + "(AXLE_DEFAULT_PERMISSION; default: ${DEFAULT-VALUE}, as in MLflow).")
    String defaultPermission;

    @Option(
            names = "--max-request-size",
            defaultValue = "${env:AXLE_MAX_REQUEST_SIZE:-1MiB}",
            paramLabel = "SIZE",
            description = "The largest JSON API request body, e.g. 1048576, 512KiB or 16MiB (AXLE_MAX_REQUEST_SIZE; "
                    + "default: ${DEFAULT-VALUE}). Larger bodies get 413; artifact uploads stream and are not limited.")
    String maxRequestSize;

    @Option(
            names = "--write-rate-limit",
            defaultValue = "${env:AXLE_WRITE_RATE_LIMIT:-" + HttpLimits.DEFAULT_WRITE_RATE + "}",
            paramLabel = "RATE",
            description =
                    "State-changing requests per caller (each API token, a user signed in with a password, or the "
                            + "address when not signed in), e.g. 100/s or "
                            + "600/min, with a burst of one second's worth; 0 or off for no limit (AXLE_WRITE_RATE_LIMIT; "
                            + "default: ${DEFAULT-VALUE}). Over it: 429 with Retry-After.")
    String writeRateLimit;

    @Override
    public void run() {
        BackendStore store = backendStoreUri == null || backendStoreUri.isBlank()
                ? BackendStore.embedded(dataDirectory)
                : BackendStore.parse(backendStoreUri);
        String artifacts = artifactsDestination == null || artifactsDestination.isBlank()
                ? dataDirectory.resolve("artifacts").toString()
                : artifactsDestination;
        ArtifactsDestination destination = new ArtifactsDestination(artifacts, System.getenv());
        ServerConfig config = new ServerConfig(
                host,
                port,
                store,
                destination,
                Optional.ofNullable(defaultArtifactRoot).filter(root -> !root.isBlank()),
                serveArtifacts,
                databasePoolSize);
        WebhookConfig webhooks = WebhookConfig.defaults(dataDirectory)
                .withAllowPrivate(webhookAllowPrivate == null ? List.of() : webhookAllowPrivate)
                .withMaxAttempts(webhookMaxAttempts);
        // promotions commit through JGit: work clones under the data directory, credentials from the environment
        JGitPublisher publisher = new JGitPublisher(
                dataDirectory.resolve("gitops-work"), GitCredentialsResolver.fromEnvironment(System.getenv()));
        AxleServer server = AxleServer.start(
                config,
                webhooks,
                DeployConfig.defaults().withPublisher(publisher),
                authConfig(System.getenv()),
                httpLimits());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            publisher.close();
                            stopped.countDown();
                        },
                        "axle-shutdown"));
        System.out.println("Axle server listening on " + server.url() + " (backend store " + store.describe()
                + ", artifacts " + destination.describe() + ")");
        if (auth) {
            System.out.println("Authentication is on: set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, "
                    + "or MLFLOW_TRACKING_TOKEN (axle tokens create)");
        }
        System.out.println("Point MLflow clients at it: export MLFLOW_TRACKING_URI=" + server.url());
        System.out.println("Open the web UI: " + server.url() + "/");
        if (!auth) {
            System.out.println("Authentication is off: anyone who can reach this address can read and change "
                    + "everything; start with --auth to require sign-in");
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    HttpLimits httpLimits() {
        return new HttpLimits(HttpLimits.parseSize(maxRequestSize), HttpLimits.parseRate(writeRateLimit));
    }

    AuthConfig authConfig(Map<String, String> environment) {
        if (!auth) {
            return AuthConfig.disabled().withDefaultPermission(Permission.parse(defaultPermission));
        }
        Optional<String> username = Optional.ofNullable(adminUsername).filter(name -> !name.isBlank());
        Optional<String> password =
                Optional.ofNullable(environment.get("AXLE_ADMIN_PASSWORD")).filter(secret -> !secret.isEmpty());
        return new AuthConfig(
                auth,
                username,
                username.isPresent() ? password : Optional.empty(),
                Permission.parse(defaultPermission));
    }
}
