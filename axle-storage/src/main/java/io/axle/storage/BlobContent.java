package io.axle.storage;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * An open blob: what it is and a stream of its bytes, read from the store as the caller reads. The size is that of
 * the version opened, even if the blob is replaced meanwhile. Close it.
 */
public record BlobContent(BlobInfo info, InputStream stream) implements AutoCloseable {
    public BlobContent {
        requireNonNull(info, "info is null");
        requireNonNull(stream, "stream is null");
    }

    @Override
    public void close() {
        try {
            stream.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
