package io.axle.cli.mlflowimport;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.cli.client.Download;
import io.axle.cli.client.TrackingClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** A tree of artifacts on an MLflow server to copy from, its paths relative to the tree's root. */
sealed interface ArtifactSource {
    /** A file or directory, by its path relative to the root. */
    record Entry(String path, boolean isDirectory, long size) {
        public Entry {
            requireNonNull(path, "path is null");
        }
    }

    /** The entries directly in {@code directory} ({@code ""} for the root). */
    void list(String directory, Consumer<Entry> each);

    /** Opens the file at {@code path} for reading. */
    Download open(String path);

    /** What the tree is, for messages. */
    String describe();

    /** A run's artifacts, through {@code artifacts/list} and {@code get-artifact}, which any MLflow server serves. */
    record RunArtifacts(TrackingClient server, String runId) implements ArtifactSource {
        public RunArtifacts {
            requireNonNull(server, "server is null");
            requireNonNull(runId, "runId is null");
        }

        @Override
        public void list(String directory, Consumer<Entry> each) {
            Pages.forEach(
                    token -> {
                        Map<String, String> query = new LinkedHashMap<>();
                        query.put("run_id", runId);
                        query.put("path", directory);
                        token.ifPresent(value -> query.put("page_token", value));
                        return server.get(TrackingClient.MLFLOW_API + "artifacts/list", query);
                    },
                    "files",
                    file -> each.accept(entry(file, file.path("path").asText())));
        }

        @Override
        public Download open(String path) {
            return server.download("/get-artifact", Map.of("run_id", runId, "path", path));
        }

        @Override
        public String describe() {
            return "the artifacts of run " + runId;
        }
    }

    /** The files under {@code root} in the artifact proxy, which lists them by their names in a directory. */
    record ProxiedArtifacts(TrackingClient server, String root) implements ArtifactSource {
        public ProxiedArtifacts {
            requireNonNull(server, "server is null");
            requireNonNull(root, "root is null");
        }

        @Override
        public void list(String directory, Consumer<Entry> each) {
            JsonNode listing =
                    server.get(TrackingClient.ARTIFACT_PROXY, Map.of("path", ArtifactCopy.join(root, directory)));
            listing.path("files")
                    .forEach(file -> each.accept(entry(
                            file, ArtifactCopy.join(directory, file.path("path").asText()))));
        }

        @Override
        public Download open(String path) {
            return server.download(
                    TrackingClient.ARTIFACT_PROXY + "/" + TrackingClient.encodePath(ArtifactCopy.join(root, path)),
                    Map.of());
        }

        @Override
        public String describe() {
            return "mlflow-artifacts:/" + root;
        }
    }

    private static Entry entry(JsonNode file, String path) {
        return new Entry(
                path,
                file.path("is_dir").asBoolean(false),
                file.path("file_size").asLong(-1));
    }
}
