package io.axle.server.artifacts;

import static java.util.Objects.requireNonNull;

import io.axle.storage.BlobStore;
import io.axle.storage.BlobStores;
import io.axle.storage.S3Config;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the server keeps the artifacts it serves ({@code --artifacts-destination}): a local directory, or
 * {@code s3://bucket/prefix} in S3 or an S3-compatible store configured from {@code environment} as MLflow is
 * ({@code MLFLOW_S3_ENDPOINT_URL}, {@code AWS_*}).
 */
public record ArtifactsDestination(String location, Map<String, String> environment) {
    public ArtifactsDestination {
        requireNonNull(location, "location is null");
        environment = Map.copyOf(environment);
        if (isS3(location)) {
            // fail at startup, not on the first upload
            S3Config.fromEnvironment(location, environment);
        }
    }

    public static ArtifactsDestination local(Path directory) {
        return new ArtifactsDestination(directory.toString(), Map.of());
    }

    /** The directory of a local destination; empty for S3. */
    public Optional<Path> localDirectory() {
        return isS3(location) ? Optional.empty() : Optional.of(BlobStores.localPath(location));
    }

    /** The S3 configuration of an S3 destination; empty for a local one. */
    Optional<S3Config> s3() {
        return isS3(location) ? Optional.of(S3Config.fromEnvironment(location, environment)) : Optional.empty();
    }

    public BlobStore open() {
        return BlobStores.open(location, environment);
    }

    /** The artifact URI of the destination itself, the root of new experiments when artifacts are not proxied. */
    public String uri() {
        return localDirectory()
                .map(directory -> directory.toAbsolutePath().normalize().toUri().toString())
                .orElseGet(() -> s3().orElseThrow().location());
    }

    /** The destination for people: an absolute directory, or the S3 location and its endpoint. */
    public String describe() {
        return localDirectory()
                .map(directory -> directory.toAbsolutePath().normalize().toString())
                .orElseGet(() -> s3().map(config -> config.location()
                                + config.endpoint()
                                        .map(endpoint -> " at " + endpoint)
                                        .orElse(""))
                        .orElseThrow());
    }

    private static boolean isS3(String location) {
        return BlobStores.isS3(location);
    }

    // never the environment, which holds credentials
    @Override
    public String toString() {
        return "ArtifactsDestination[" + location + "]";
    }
}
