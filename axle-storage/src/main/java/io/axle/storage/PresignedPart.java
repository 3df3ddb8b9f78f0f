package io.axle.storage;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Map;

/** Where a client PUTs one part of a multipart upload, and the headers it must send with it. */
public record PresignedPart(int partNumber, URI url, Map<String, String> headers) {
    public PresignedPart {
        requireNonNull(url, "url is null");
        headers = Map.copyOf(headers);
    }
}
