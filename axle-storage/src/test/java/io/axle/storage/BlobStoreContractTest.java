package io.axle.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every {@link BlobStore} does; each implementation's test extends this. */
abstract class BlobStoreContractTest {
    @TempDir
    Path directory;

    BlobStore store;

    abstract BlobStore newStore(Path directory);

    @BeforeEach
    void openStore() {
        store = newStore(directory);
    }

    @Test
    void aStoredBlobReadsBackWithItsSize() {
        BlobInfo stored = put("1/run/artifacts/model/MLmodel", "flavors: {}\n");

        assertThat(stored.key()).isEqualTo(BlobKey.of("1/run/artifacts/model/MLmodel"));
        assertThat(stored.size()).isEqualTo(12);
        assertThat(read("1/run/artifacts/model/MLmodel")).isEqualTo("flavors: {}\n");
        assertThat(store.stat(BlobKey.of("1/run/artifacts/model/MLmodel")))
                .hasValueSatisfying(info -> assertThat(info.size()).isEqualTo(12));
    }

    @Test
    void aSecondPutReplacesTheBlob() {
        put("notes.txt", "first version, longer");
        put("notes.txt", "second");

        assertThat(read("notes.txt")).isEqualTo("second");
    }

    @Test
    void anEmptyBlobIsABlob() {
        put("empty", "");

        assertThat(read("empty")).isEmpty();
        assertThat(store.stat(BlobKey.of("empty")))
                .hasValueSatisfying(info -> assertThat(info.size()).isZero());
    }

    @Test
    void aKnownLengthIsChecked() {
        byte[] bytes = "twelve bytes".getBytes(StandardCharsets.UTF_8);

        assertThat(store.put(BlobKey.of("exact"), new ByteArrayInputStream(bytes), 12)
                        .size())
                .isEqualTo(12);
        assertThatThrownBy(() -> store.put(BlobKey.of("short"), new ByteArrayInputStream(bytes), 20))
                .hasMessageContaining("ended after 12 of the 20 bytes announced; nothing was stored");
        assertThatThrownBy(() -> store.put(BlobKey.of("long"), new ByteArrayInputStream(bytes), 5))
                .hasMessageContaining("longer than the 5 bytes announced");
        assertThat(store.stat(BlobKey.of("short"))).isEmpty();
        assertThat(store.stat(BlobKey.of("long"))).isEmpty();
    }

    @Test
    void aFailingSourceStoresNothingAndKeepsTheOldBlob() {
        put("model.bin", "old model");
        InputStream failing = new InputStream() {
            private int served;

            @Override
            public int read() throws IOException {
                if (served++ > 3 * 1024 * 1024) {
                    throw new IOException("connection reset");
                }
                return 'x';
            }
        };

        assertThatThrownBy(() -> store.put(BlobKey.of("model.bin"), failing))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("nothing was stored")
                .hasMessageContaining("connection reset");
        assertThatThrownBy(() -> store.put(BlobKey.of("fresh.bin"), failingAfter(10)))
                .isInstanceOf(AxleException.class);

        assertThat(read("model.bin")).isEqualTo("old model");
        assertThat(store.stat(BlobKey.of("fresh.bin"))).isEmpty();
        assertThat(listed("")).containsExactly("model.bin (9)");
    }

    @Test
    void listingShowsOneLevelWithDirectoriesAndSizesSortedByKey() {
        put("run/artifacts/model/MLmodel", "m");
        put("run/artifacts/model/data/weights.bin", "0123456789");
        put("run/artifacts/metrics.json", "{}");
        put("run/artifacts/b.txt", "bb");

        assertThat(listed("run/artifacts"))
                .containsExactly("run/artifacts/b.txt (2)", "run/artifacts/metrics.json (2)", "run/artifacts/model/");
        assertThat(listed("run/artifacts/model"))
                .containsExactly("run/artifacts/model/MLmodel (1)", "run/artifacts/model/data/");
        assertThat(listed("")).containsExactly("run/");
    }

    @Test
    void listingNothingOrABlobIsEmpty() {
        put("a/file.txt", "x");

        assertThat(store.list(BlobKey.of("missing/dir"))).isEmpty();
        assertThat(store.list(BlobKey.of("a/file.txt"))).isEmpty();
    }

    @Test
    void aMissingBlobIsNotFound() {
        put("dir/file", "x");

        assertThatThrownBy(() -> store.open(BlobKey.of("dir/other")))
                .isInstanceOf(AxleException.class)
                .extracting(failure -> ((AxleException) failure).errorCode())
                .isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertThatThrownBy(() -> store.open(BlobKey.of("dir")))
                .extracting(failure -> ((AxleException) failure).errorCode())
                .isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertThat(store.stat(BlobKey.of("dir"))).isEmpty();
        assertThat(store.stat(BlobKey.of("nothing"))).isEmpty();
    }

    @Test
    void theRootIsNoBlob() {
        assertThatThrownBy(() -> store.put(BlobKey.ROOT, InputStream.nullInputStream()))
                .hasMessageContaining("a blob needs a non-empty key");
        assertThatThrownBy(() -> store.open(BlobKey.ROOT)).hasMessageContaining("a blob needs a non-empty key");
        assertThatThrownBy(() -> store.deletePrefix(BlobKey.ROOT)).hasMessageContaining("Refusing to delete every");
    }

    @Test
    void deletingOneBlob() {
        put("dir/a", "a");
        put("dir/b", "b");

        assertThat(store.delete(BlobKey.of("dir/a"))).isTrue();
        assertThat(store.delete(BlobKey.of("dir/a"))).isFalse();
        assertThat(store.delete(BlobKey.of("dir"))).isFalse();
        assertThat(listed("dir")).containsExactly("dir/b (1)");
    }

    @Test
    void deletingAPrefixDeletesEverythingUnderIt() {
        put("1/run-a/artifacts/model/MLmodel", "m");
        put("1/run-a/artifacts/model/data/w.bin", "w");
        put("1/run-a/artifacts/readme", "r");
        put("1/run-ab/artifacts/keep", "k");

        assertThat(store.deletePrefix(BlobKey.of("1/run-a"))).isEqualTo(3);

        assertThat(listed("1")).containsExactly("1/run-ab/");
        assertThat(read("1/run-ab/artifacts/keep")).isEqualTo("k");
        assertThat(store.deletePrefix(BlobKey.of("1/run-a"))).isZero();
        assertThat(store.deletePrefix(BlobKey.of("1/run-ab/artifacts/keep"))).isZero();
    }

    @Test
    void largeBlobsStreamInAndOut() throws Exception {
        long size = 64L * 1024 * 1024 + 17;
        MessageDigest sent = sha256();
        try (InputStream content = new DigestInputStream(generated(size), sent)) {
            assertThat(store.put(BlobKey.of("big/weights.bin"), content, size).size())
                    .isEqualTo(size);
        }

        MessageDigest received = sha256();
        try (BlobContent content = store.open(BlobKey.of("big/weights.bin"))) {
            assertThat(content.info().size()).isEqualTo(size);
            content.stream().transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), received));
        }
        assertThat(HexFormat.of().formatHex(received.digest()))
                .isEqualTo(HexFormat.of().formatHex(sent.digest()));
    }

    BlobInfo put(String key, String content) {
        return store.put(BlobKey.of(key), new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
    }

    String read(String key) {
        try (BlobContent content = store.open(BlobKey.of(key))) {
            return new String(content.stream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The listing of {@code directory}, a line per entry: {@code key (size)} for a blob, {@code key/} for a directory. */
    List<String> listed(String directory) {
        return store.list(BlobKey.of(directory)).stream()
                .map(entry -> switch (entry) {
                    case BlobInfo blob -> blob.key() + " (" + blob.size() + ")";
                    case BlobDirectory subdirectory -> subdirectory.key() + "/";
                })
                .toList();
    }

    static InputStream failingAfter(int bytes) {
        return new InputStream() {
            private int served;

            @Override
            public int read() throws IOException {
                if (served++ >= bytes) {
                    throw new IOException("source failed");
                }
                return 'y';
            }
        };
    }

    /** {@code size} pseudo-random bytes, made as they are read. */
    static InputStream generated(long size) {
        return new InputStream() {
            private final SplittableRandom random = new SplittableRandom(42);
            private long remaining = size;

            @Override
            public int read() {
                if (remaining == 0) {
                    return -1;
                }
                remaining--;
                return random.nextInt(256);
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (remaining == 0) {
                    return -1;
                }
                int count = (int) Math.min(length, remaining);
                for (int index = 0; index < count; index++) {
                    buffer[offset + index] = (byte) random.nextInt(256);
                }
                remaining -= count;
                return count;
            }
        };
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
