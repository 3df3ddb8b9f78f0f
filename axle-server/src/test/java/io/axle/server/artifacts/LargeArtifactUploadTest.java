package io.axle.server.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.axle.server.artifacts.ArtifactHttp.Reply;
import io.axle.server.db.Dialect;
import io.axle.server.testing.TestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 2 GiB artifact, made as it is sent and checked by SHA-256 on the way back. It is larger than any Java array,
 * so no part of the path from socket to disk and back can hold it whole in memory.
 */
class LargeArtifactUploadTest {
    private static final long SIZE = 2L * 1024 * 1024 * 1024;

    @TempDir
    Path dataDirectory;

    @Test
    void aTwoGibibyteArtifactStreamsInAndOut() throws Exception {
        try (TestServer server = TestServer.start(Dialect.H2, dataDirectory)) {
            ArtifactHttp http = new ArtifactHttp(server.url());
            MessageDigest sent = sha256();
            String path = "1/big/artifacts/model/weights.bin";

            long started = System.nanoTime();
            Reply upload = http.upload(path, () -> new DigestInputStream(new GeneratedBytes(SIZE), sent), SIZE);
            Duration uploading = Duration.ofNanos(System.nanoTime() - started);

            MessageDigest received = sha256();
            started = System.nanoTime();
            Reply download = http.downloadTo(path, new DigestOutputStream(OutputStream.nullOutputStream(), received));
            Duration downloading = Duration.ofNanos(System.nanoTime() - started);

            System.out.printf(
                    "2 GiB artifact: upload %.1f s, download %.1f s, max heap %d MiB%n",
                    uploading.toMillis() / 1000.0,
                    downloading.toMillis() / 1000.0,
                    Runtime.getRuntime().maxMemory() / (1024 * 1024));
            assertThat(upload.status()).as(upload.text()).isEqualTo(200);
            assertThat(Files.size(dataDirectory.resolve("artifacts").resolve(path)))
                    .isEqualTo(SIZE);
            assertThat(download.status()).isEqualTo(200);
            assertThat(download.header("Content-Length")).isEqualTo(Long.toString(SIZE));
            assertThat(HexFormat.of().formatHex(received.digest()))
                    .isEqualTo(HexFormat.of().formatHex(sent.digest()));
        }
    }

    private static MessageDigest sha256() throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256");
    }

    /** {@code size} pseudo-random bytes, made block by block as they are read. */
    private static final class GeneratedBytes extends InputStream {
        private final SplittableRandom random = new SplittableRandom(7);
        private final byte[] block = new byte[64 * 1024];
        private int position = block.length;
        private long remaining;

        GeneratedBytes(long size) {
            this.remaining = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (remaining == 0) {
                return -1;
            }
            if (position == block.length) {
                random.nextBytes(block);
                position = 0;
            }
            int count = (int) Math.min(Math.min(length, block.length - position), remaining);
            System.arraycopy(block, position, buffer, offset, count);
            position += count;
            remaining -= count;
            return count;
        }
    }
}
