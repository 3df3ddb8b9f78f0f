package io.axle.server.artifacts;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.storage.BlobContent;
import io.axle.storage.BlobKey;
import io.axle.storage.BlobStore;
import io.axle.storage.MultipartUploads;
import io.axle.storage.PresignedPart;
import io.axle.storage.UploadedPart;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
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

    /** How long a presigned part URL stays valid, as long as MLflow's. */
    static final Duration PART_URL_VALIDITY = Duration.ofHours(1);

    private static final int MAX_PARTS = 10_000;

    private final BlobStore store;
    private final ArtifactLocations locations;
    private final boolean serveArtifacts;
    private final RunArtifactRoots runs;

    /**
     * @param store the store of {@code destination}
     * @param destination where {@code store} keeps its blobs, where {@code file:} or {@code s3:} artifact URIs may
     *     point
     * @param serveArtifacts whether the artifact proxy answers; without it only runs' artifacts are served
     */
    public ArtifactService(
            BlobStore store, ArtifactsDestination destination, boolean serveArtifacts, RunArtifactRoots runs) {
        this.store = requireNonNull(store, "store is null");
        this.locations = ArtifactLocations.in(destination);
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

    /**
     * Refuses a multipart upload to the directory {@code path} unless the store takes them (S3); MLflow's clients
     * fall back to one PUT on the refusal.
     */
    void requireMultipartUploads(String path) {
        ArtifactPaths.file(path);
        if (store.multipartUploads().isEmpty()) {
            throw new AxleException(
                    ErrorCode.NOT_IMPLEMENTED,
                    MULTIPART_UNSUPPORTED + ": this server's artifact store takes each file in one PUT to "
                            + "/api/2.0/mlflow-artifacts/artifacts/<path> (MLflow clients fall back to that by "
                            + "themselves)");
        }
    }

    /**
     * Starts an upload of the client's file {@code localFile} into the directory {@code path}, as MLflow names it:
     * the file's base name under the directory, with a presigned URL for each of {@code numParts} parts.
     */
    MultipartUploadCreated createMultipartUpload(String path, String localFile, long numParts) {
        if (numParts < 1 || numParts > MAX_PARTS) {
            throw AxleException.invalidParameter(
                    "num_parts " + numParts + " is out of range: S3 takes 1 to " + MAX_PARTS + " parts");
        }
        BlobKey key = multipartKey(path, localFile);
        MultipartUploads uploads = multipartUploads(path);
        String uploadId = uploads.create(key);
        List<MultipartUploadCreated.Credential> credentials = new ArrayList<>();
        for (int partNumber = 1; partNumber <= numParts; partNumber++) {
            PresignedPart part = uploads.presignPart(key, uploadId, partNumber, PART_URL_VALIDITY);
            credentials.add(
                    new MultipartUploadCreated.Credential(part.url().toString(), part.partNumber(), part.headers()));
        }
        return new MultipartUploadCreated(uploadId, credentials);
    }

    void completeMultipartUpload(String path, String localFile, String uploadId, List<UploadedPart> parts) {
        multipartUploads(path).complete(multipartKey(path, localFile), uploadId, parts);
    }

    void abortMultipartUpload(String path, String localFile, String uploadId) {
        multipartUploads(path).abort(multipartKey(path, localFile), uploadId);
    }

    private MultipartUploads multipartUploads(String path) {
        requireMultipartUploads(path);
        return store.multipartUploads().orElseThrow();
    }

    /**
     * Where MLflow's S3 repository puts an upload: the local file's base name (after the last {@code /}, or the last
     * backslash of a Windows client's path) in the directory {@code path}.
     */
    private static BlobKey multipartKey(String path, String localFile) {
        String fileName = localFile.substring(Math.max(localFile.lastIndexOf('/'), localFile.lastIndexOf('\\')) + 1);
        if (fileName.isEmpty()) {
            throw AxleException.invalidParameter(
                    "Invalid path '" + BlobKey.printable(localFile) + "': name the file being uploaded");
        }
        return requireWritable(ArtifactPaths.directory(path).resolve(ArtifactPaths.file(fileName)));
    }

    /** The artifacts of run {@code runId} directly under {@code path} ({@code ""} for its artifact root). */
    public RunArtifactList listRun(String runId, String path) {
        BlobKey relative = ArtifactPaths.directory(path);
        String rootUri = runs.artifactUri(runId);
        BlobKey directory = locations.keyOf(rootUri).resolve(relative);
        List<FileInfo> files = store.list(directory).stream()
                .map(entry ->
                        FileInfo.of(entry, relative.resolve(entry.key().name()).path()))
                .toList();
        return new RunArtifactList(rootUri, files);
    }

    public ArtifactDownload runArtifact(String runId, String path) {
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
