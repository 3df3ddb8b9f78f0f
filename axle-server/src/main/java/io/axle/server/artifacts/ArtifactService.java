package io.axle.server.artifacts;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.storage.BlobContent;
import io.axle.storage.BlobKey;
import io.axle.storage.BlobStore;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Artifacts as MLflow's server serves them: the artifact proxy ({@code mlflow-artifacts}), whose paths are relative
 * to the artifacts destination, and a run's artifacts, whose paths are relative to the run's artifact root.
 */
public final class ArtifactService {
    /** The start of the message on which MLflow's clients fall back from multipart to a single upload. */
    static final String MULTIPART_UNSUPPORTED = "Multipart upload is not supported for the current artifact repository";

    /** Where the registry keeps its copies of model versions, under the artifacts destination. */
    public static final BlobKey REGISTRY_ROOT = BlobKey.of("models");

    private final BlobStore store;
    private final ArtifactLocations locations;
    private final boolean serveArtifacts;
    private final RunArtifactRoots runs;

    /**
     * @param store the artifacts destination
     * @param artifactsDestination the directory {@code store} keeps its blobs in, where {@code file:} artifact URIs
     *     may point
     * @param serveArtifacts whether the artifact proxy answers; without it only runs' artifacts are served
     */
    public ArtifactService(BlobStore store, Path artifactsDestination, boolean serveArtifacts, RunArtifactRoots runs) {
        this.store = requireNonNull(store, "store is null");
        this.locations = ArtifactLocations.in(artifactsDestination);
        this.serveArtifacts = serveArtifacts;
        this.runs = requireNonNull(runs, "runs is null");
    }

    /** Refuses the artifact proxy's {@code endpoint} when the server does not proxy artifacts, as MLflow does. */
    void requireServing(String endpoint) {
        if (!serveArtifacts) {
            throw new AxleException(
                    ErrorCode.TEMPORARILY_UNAVAILABLE,
                    "Endpoint: " + endpoint + " disabled due to the server running with `--no-serve-artifacts`. "
                            + "To enable artifacts server functionality, run `axle server` with `--serve-artifacts`");
        }
    }

    ArtifactDownload download(String path) {
        BlobKey key = ArtifactPaths.file(path);
        return open(key, "artifact '" + path + "'");
    }

    /** Streams {@code content} into the store; {@code contentLength} is negative when unknown. */
    void upload(String path, InputStream content, long contentLength) {
        BlobKey key = requireWritable(ArtifactPaths.file(path));
        if (contentLength >= 0) {
            store.put(key, content, contentLength);
        } else {
            store.put(key, content);
        }
    }

    /** The files and directories directly under {@code path} ({@code ""} for the top), named by base name. */
    List<FileInfo> list(String path) {
        BlobKey directory = ArtifactPaths.directory(path);
        return store.list(directory).stream()
                .map(entry -> FileInfo.of(entry, entry.key().name()))
                .toList();
    }

    /** Deletes the file or the directory tree at {@code path}; nothing there is no failure, as in MLflow. */
    void delete(String path) {
        BlobKey key = requireWritable(ArtifactPaths.file(path));
        if (!store.delete(key)) {
            store.deletePrefix(key);
        }
    }

    /** The key in the artifacts destination that an artifact URI (a run's root, a version's source) names. */
    public BlobKey locate(String artifactUri) {
        return locations.keyOf(artifactUri);
    }

    /** The URI a client downloads {@code key} from: through the proxy when it serves, else in the destination. */
    public String uriOf(BlobKey key) {
        return serveArtifacts ? "mlflow-artifacts:/" + key.path() : locations.uriOf(key);
    }

    // the registry's copies are written by the registry alone: a client that could overwrite them could change
    // what a deployed version serves
    private static BlobKey requireWritable(BlobKey key) {
        if (key.startsWith(REGISTRY_ROOT)) {
            throw new AxleException(
                    ErrorCode.PERMISSION_DENIED,
                    "'" + key.path() + "' lies in the model registry's storage (" + REGISTRY_ROOT.path()
                            + "/), which only the registry writes; register a model version instead");
        }
        return key;
    }

    void rejectMultipartUpload(String path) {
        ArtifactPaths.file(path);
        throw new AxleException(
                ErrorCode.NOT_IMPLEMENTED,
                MULTIPART_UNSUPPORTED + ": this server's artifact store takes each file in one PUT to "
                        + "/api/2.0/mlflow-artifacts/artifacts/<path> (MLflow clients fall back to that by themselves)");
    }

    /** The artifacts of run {@code runId} directly under {@code path} ({@code ""} for its artifact root). */
    RunArtifactList listRun(String runId, String path) {
        BlobKey relative = ArtifactPaths.directory(path);
        String rootUri = runs.artifactUri(runId);
        BlobKey directory = locations.keyOf(rootUri).resolve(relative);
        List<FileInfo> files = store.list(directory).stream()
                .map(entry ->
                        FileInfo.of(entry, relative.resolve(entry.key().name()).path()))
                .toList();
        return new RunArtifactList(rootUri, files);
    }

    ArtifactDownload runArtifact(String runId, String path) {
        BlobKey relative = ArtifactPaths.file(path);
        BlobKey key = locations.keyOf(runs.artifactUri(runId)).resolve(relative);
        return open(key, "artifact '" + path + "' in run " + runId);
    }

    private ArtifactDownload open(BlobKey key, String described) {
        if (store.stat(key).isEmpty()) {
            throw AxleException.notFound(
                    store.list(key).isEmpty()
                            ? "No " + described
                            : "The " + described + " is a directory; list it to see its files");
        }
        BlobContent content = store.open(key);
        return new ArtifactDownload(key.name(), DownloadHeaders.contentType(key.name()), content);
    }
}
