package io.axle.server;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.server.artifacts.ArtifactsDestination;
import io.axle.server.db.BackendStore;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How an {@code axle server} runs, named after {@code mlflow server}'s flags.
 *
 * @param artifactsDestination where the server keeps the artifacts it serves: a directory or {@code s3://bucket/prefix}
 * @param defaultArtifactRoot where new experiments keep their artifacts; when empty, {@code mlflow-artifacts:/}
 *     with {@code serveArtifacts} (clients upload through the server) or the destination's URI without
 */
public record ServerConfig(
        String host,
        int port,
        BackendStore backendStore,
        ArtifactsDestination artifactsDestination,
        Optional<String> defaultArtifactRoot,
        boolean serveArtifacts,
        int databasePoolSize) {
    public ServerConfig {
        requireNonNull(host, "host is null");
        requireNonNull(backendStore, "backendStore is null");
        requireNonNull(artifactsDestination, "artifactsDestination is null");
        requireNonNull(defaultArtifactRoot, "defaultArtifactRoot is null");
        if (port < 0 || port > 65535) {
            throw AxleException.invalidParameter("Port " + port
                    + " is out of range: use 1 to 65535, or 0 for a free port of the system's choosing.");
        }
        if (databasePoolSize < 1) {
            throw AxleException.invalidParameter("Database pool size " + databasePoolSize
                    + " is too small: the server needs at least 1 connection.");
        }
    }

    /** The embedded defaults under {@code dataDirectory}, on a port of the operating system's choosing. */
    public static ServerConfig embedded(Path dataDirectory) {
        return new ServerConfig(
                "127.0.0.1",
                0,
                BackendStore.embedded(dataDirectory),
                ArtifactsDestination.local(dataDirectory.resolve("artifacts")),
                Optional.empty(),
                true,
                16);
    }

    public ServerConfig withBackendStore(BackendStore store) {
        return new ServerConfig(
                host, port, store, artifactsDestination, defaultArtifactRoot, serveArtifacts, databasePoolSize);
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(
                host,
                newPort,
                backendStore,
                artifactsDestination,
                defaultArtifactRoot,
                serveArtifacts,
                databasePoolSize);
    }

    public String effectiveDefaultArtifactRoot() {
        return defaultArtifactRoot.orElseGet(() -> serveArtifacts ? "mlflow-artifacts:/" : artifactsDestination.uri());
    }
}
