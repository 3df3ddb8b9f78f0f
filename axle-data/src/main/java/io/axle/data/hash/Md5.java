package io.axle.data.hash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** MD5 as DVC computes it: raw bytes for DVC 3, and DVC 2's {@code md5-dos2unix} for reading old projects. */
public final class Md5 {
    /** DVC 2 read files in chunks of this size and replaced CRLF inside each chunk only. */
    static final int DOS2UNIX_CHUNK = 1 << 20;
    /** DVC 2 judged a file text or binary from its first 512 bytes. */
    static final int TEXT_SNIFF = 512;

    private static final int BUFFER = 1 << 20;
    private static final HexFormat HEX = HexFormat.of();

    private Md5() {}

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }

    public static String hex(byte[] digest) {
        return HEX.formatHex(digest);
    }

    public static String ofBytes(byte[] bytes) {
        return hex(newDigest().digest(bytes));
    }

    /** The md5 of a file's raw bytes, as {@code md5sum} and DVC 3 compute it. */
    public static String ofFile(Path file, Progress progress) {
        MessageDigest digest = newDigest();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            // small files get a small buffer: a tree of many small files should not allocate 1 MiB each
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(BUFFER, Math.max(size + 1, 8192)));
            byte[] array = buffer.array();
            int read;
            while ((read = channel.read(buffer.clear())) >= 0) {
                if (read > 0) {
                    digest.update(array, 0, read);
                    progress.bytesHashed(read);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return hex(digest.digest());
    }

    public static String ofFile(Path file) {
        return ofFile(file, Progress.NONE);
    }

    /**
     * DVC 2's {@code md5-dos2unix}: a file whose first 512 bytes look like text is hashed with every CRLF inside each
     * 1 MiB chunk turned into LF (a CRLF split across two chunks stays as it is, as in DVC 2); other files are hashed
     * raw.
     */
    public static String ofFileDos2Unix(Path file) {
        MessageDigest digest = newDigest();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(DOS2UNIX_CHUNK);
            boolean first = true;
            boolean text = true;
            while (true) {
                int length = readFully(channel, buffer.clear());
                if (first) {
                    text = isText(buffer.array(), Math.min(length, TEXT_SNIFF));
                    first = false;
                }
                if (length <= 0) {
                    break;
                }
                if (text) {
                    updateDos2Unix(digest, buffer.array(), length);
                } else {
                    digest.update(buffer.array(), 0, length);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return hex(digest.digest());
    }

    /** DVC 2's {@code istextblock}: empty is text; a NUL byte means binary; else at most 30% non-text bytes. */
    static boolean isText(byte[] block, int length) {
        if (length <= 0) {
            return true;
        }
        int nonText = 0;
        for (int i = 0; i < length; i++) {
            int b = block[i] & 0xff;
            if (b == 0) {
                return false;
            }
            boolean textChar = (b >= 32 && b < 127) || b == '\n' || b == '\r' || b == '\t' || b == '\f' || b == '\b';
            if (!textChar) {
                nonText++;
            }
        }
        return (double) nonText / length <= 0.30;
    }

    private static void updateDos2Unix(MessageDigest digest, byte[] chunk, int length) {
        int start = 0;
        for (int i = 0; i < length - 1; i++) {
            if (chunk[i] == '\r' && chunk[i + 1] == '\n') {
                digest.update(chunk, start, i - start);
                start = i + 1;
                i++;
            }
        }
        digest.update(chunk, start, length - start);
    }

    private static int readFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        int total = 0;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer);
            if (read < 0) {
                return total == 0 ? -1 : total;
            }
            total += read;
        }
        return total;
    }
}
