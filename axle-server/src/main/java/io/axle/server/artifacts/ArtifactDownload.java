package io.axle.server.artifacts;

import static java.util.Objects.requireNonNull;

import io.axle.storage.BlobContent;

/** An artifact on its way to a client: what to call it, its content type, and its open content. */
public record ArtifactDownload(String fileName, String contentType, BlobContent content) {
    public ArtifactDownload {
        requireNonNull(fileName, "fileName is null");
        requireNonNull(contentType, "contentType is null");
        requireNonNull(content, "content is null");
    }
}
