package io.axle.storage;

import static java.util.Objects.requireNonNull;

/** A part a client has sent, as the store acknowledged it: its number and the ETag the store answered with. */
public record UploadedPart(int partNumber, String etag) {
    public UploadedPart {
        requireNonNull(etag, "etag is null");
        if (partNumber < 1 || partNumber > 10_000) {
            throw new IllegalArgumentException("part number is out of 1..10000: " + partNumber);
        }
    }
}
