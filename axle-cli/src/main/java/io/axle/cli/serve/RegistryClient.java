package io.axle.cli.serve;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.cli.client.Download;
import io.axle.cli.client.TrackingClient;
import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import java.util.Map;
import java.util.Optional;

/** The registry calls {@code axle serve} makes: resolve a URI, download its files, read and set version tags. */
final class RegistryClient implements ModelCache.ArtifactFiles {
    private static final String PROXIED = "mlflow-artifacts:/";

    private final TrackingClient client;

    RegistryClient(TrackingClient client) {
        this.client = requireNonNull(client, "client is null");
    }

    ResolvedModel resolve(String uri) {
        return ResolvedModel.fromJson(client.get("/api/2.0/axle/models/resolve", Map.of("uri", uri)));
    }

    @Override
    public Download open(ResolvedModel model, ResolvedModel.ModelFile file) {
        String artifactUri = model.artifactUri();
        if (!artifactUri.startsWith(PROXIED)) {
            throw new AxleException(
                    ErrorCode.INVALID_STATE,
                    "The server keeps " + model.describe() + " at '" + artifactUri + "', which it does not serve; "
                            + "axle serve downloads through a server that proxies artifacts (axle server "
                            + "--serve-artifacts).");
        }
        String directory = artifactUri.substring(PROXIED.length()).replaceFirst("/+$", "");
        return client.download(
                TrackingClient.ARTIFACT_PROXY + "/" + TrackingClient.encodePath(directory + "/" + file.path()),
                Map.of());
    }

    /** A tag of a model version, when it has one. */
    Optional<String> versionTag(String name, String version, String key) {
        JsonNode tags = client.get(
                        TrackingClient.MLFLOW_API + "model-versions/get", Map.of("name", name, "version", version))
                .path("model_version")
                .path("tags");
        for (JsonNode tag : tags) {
            if (tag.path("key").asText().equals(key)) {
                return Optional.of(tag.path("value").asText());
            }
        }
        return Optional.empty();
    }

    void setVersionTag(String name, String version, String key, String value) {
        client.post(
                TrackingClient.MLFLOW_API + "model-versions/set-tag",
                Map.of("name", name, "version", version, "key", key, "value", value));
    }

    String url() {
        return client.url();
    }
}
