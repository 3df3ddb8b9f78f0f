package io.axle.storage;

import java.time.Duration;
import java.util.List;

/**
 * Uploads that clients send straight to the store in parts, each to a presigned URL, while the server only starts,
 * completes or aborts them (MLflow's artifact proxy {@code mpu} endpoints). Nothing is visible under the key until
 * the upload completes.
 */
public interface MultipartUploads {
    /** Starts an upload to {@code key}; returns the store's id for it. */
    String create(BlobKey key);

    /** A URL to which a client PUTs the bytes of part {@code partNumber} (1 to 10000), valid for {@code validity}. */
    PresignedPart presignPart(BlobKey key, String uploadId, int partNumber, Duration validity);

    /** Puts the parts together into the blob under {@code key}, replacing any blob there. */
    BlobInfo complete(BlobKey key, String uploadId, List<UploadedPart> parts);

    /** Drops an upload and the parts sent so far. */
    void abort(BlobKey key, String uploadId);
}
