package io.axle.server.artifacts;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/** MLflow's CreateMultipartUpload response: the store's upload id, and where to PUT each part. */
record MultipartUploadCreated(String uploadId, List<Credential> credentials) {
    MultipartUploadCreated {
        requireNonNull(uploadId, "uploadId is null");
        credentials = List.copyOf(credentials);
    }

    /** MLflow's MultipartUploadCredential: a presigned URL for one part, and the headers to send with it. */
    record Credential(String url, int partNumber, Map<String, String> headers) {
        Credential {
            requireNonNull(url, "url is null");
            headers = Map.copyOf(headers);
        }
    }
}
