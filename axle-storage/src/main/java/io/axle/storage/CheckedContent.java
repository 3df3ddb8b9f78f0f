package io.axle.storage;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * The caller's content, checked as it is read: a read failure, or a length other than the one announced, fails
 * the write with a message saying so, and is kept for the writer to throw in place of the SDK's wrapping of it.
 */
final class CheckedContent extends InputStream {
    private final BlobKey key;
    private final InputStream content;
    private final long expectedLength;
    private long read;
    private boolean ended;
    private AxleException failure;

    CheckedContent(BlobKey key, InputStream content, long expectedLength) {
        this.key = requireNonNull(key, "key is null");
        this.content = requireNonNull(content, "content is null");
        this.expectedLength = expectedLength;
    }

    Optional<AxleException> failure() {
        return Optional.ofNullable(failure);
    }

    /** Whether everything announced has been read (never known beforehand for content of unknown length). */
    boolean atEnd() {
        return ended || (expectedLength >= 0 && read == expectedLength);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int count = read(one, 0, 1);
        return count < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (failure != null) {
            throw failure;
        }
        if (length == 0) {
            return 0;
        }
        if (atEnd()) {
            return -1;
        }
        int wanted = expectedLength < 0 ? length : (int) Math.min(length, expectedLength - read);
        int count = readContent(buffer, offset, wanted);
        if (count < 0) {
            ended = true;
            if (expectedLength >= 0) {
                throw fail(new AxleException(
                        ErrorCode.BAD_REQUEST,
                        "The content of '" + key + "' ended after " + read + " of the " + expectedLength
                                + " bytes announced; nothing was stored"));
            }
            return -1;
        }
        read += count;
        if (expectedLength >= 0 && read == expectedLength) {
            requireEnd();
        }
        return count;
    }

    /** Fails unless the content ends here; the SDK stops reading at the announced length, so this looks on. */
    void requireEnd() {
        if (readContent(new byte[1], 0, 1) >= 0) {
            throw fail(new AxleException(
                    ErrorCode.BAD_REQUEST,
                    "The content of '" + key + "' is longer than the " + expectedLength
                            + " bytes announced; nothing was stored"));
        }
    }

    private int readContent(byte[] buffer, int offset, int length) {
        try {
            return content.read(buffer, offset, length);
        } catch (IOException e) {
            throw fail(new AxleException(
                    ErrorCode.BAD_REQUEST,
                    "Reading the content of '" + key + "' failed after " + read + " bytes ("
                            + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                            + "); nothing was stored",
                    e));
        }
    }

    private AxleException fail(AxleException problem) {
        failure = problem;
        return problem;
    }
}
