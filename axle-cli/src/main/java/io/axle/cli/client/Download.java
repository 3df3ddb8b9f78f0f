package io.axle.cli.client;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** An artifact being downloaded: its bytes as a stream, and its length, negative when the server did not say. */
public record Download(InputStream content, long length) implements AutoCloseable {
    public Download {
        requireNonNull(content, "content is null");
    }

    @Override
    public void close() {
        try {
            content.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
