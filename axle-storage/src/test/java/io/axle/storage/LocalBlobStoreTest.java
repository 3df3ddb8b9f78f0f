package io.axle.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBlobStoreTest extends BlobStoreContractTest {
    @TempDir
    Path outside;

    @Override
    BlobStore newStore(Path directory) {
        return LocalBlobStore.open(directory.resolve("store"));
    }

    Path root() {
        return ((LocalBlobStore) store).root();
    }

    @Test
    void aKeyCannotBeBothABlobAndADirectory() {
        put("a/b", "blob");

        assertThatThrownBy(() -> put("a/b/c", "under a blob"))
                .extracting(failure -> ((AxleException) failure).errorCode())
                .isEqualTo(ErrorCode.RESOURCE_CONFLICT);
        assertThatThrownBy(() -> put("a", "over a directory"))
                .extracting(failure -> ((AxleException) failure).errorCode())
                .isEqualTo(ErrorCode.RESOURCE_CONFLICT);
        assertThat(read("a/b")).isEqualTo("blob");
    }

    @Test
    void blobsAreFilesUnderTheRoot() throws IOException {
        put("1/run/artifacts/model/MLmodel", "flavors: {}\n");

        assertThat(root().resolve("1/run/artifacts/model/MLmodel")).hasContent("flavors: {}");
        assertThat(root()).isEqualTo(directory.resolve("store").toRealPath());
    }

    @Test
    void aWriteInProgressIsNeverVisibleUnderItsKey() throws Exception {
        put("model.bin", "old");
        CountDownLatch halfway = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        InputStream slow = new InputStream() {
            private int served;

            @Override
            public int read() throws IOException {
                if (served == 2 * 1024 * 1024) {
                    halfway.countDown();
                    await(finish);
                }
                return served++ < 4 * 1024 * 1024 ? 'n' : -1;
            }
        };
        AtomicReference<BlobInfo> written = new AtomicReference<>();
        Thread writer = Thread.ofVirtual().start(() -> written.set(store.put(BlobKey.of("model.bin"), slow)));

        assertThat(halfway.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(read("model.bin")).isEqualTo("old");
        assertThat(listed("")).containsExactly("model.bin (3)");
        assertThat(Files.list(root().resolve(LocalBlobStore.TEMPORARY_DIRECTORY)))
                .singleElement()
                .satisfies(
                        partial -> assertThat(partial.getFileName().toString()).endsWith(".part"));

        finish.countDown();
        writer.join(Duration.ofSeconds(30));
        assertThat(written.get().size()).isEqualTo(4 * 1024 * 1024);
        assertThat(store.stat(BlobKey.of("model.bin")))
                .hasValueSatisfying(info -> assertThat(info.size()).isEqualTo(4 * 1024 * 1024));
        assertThat(root().resolve(LocalBlobStore.TEMPORARY_DIRECTORY)).isEmptyDirectory();
    }

    @Test
    void aFailedWriteLeavesNoPartialFile() {
        assertThatThrownBy(() -> store.put(BlobKey.of("dir/fresh.bin"), failingAfter(5 * 1024 * 1024)))
                .isInstanceOf(AxleException.class);

        assertThat(root().resolve("dir/fresh.bin")).doesNotExist();
        assertThat(root().resolve(LocalBlobStore.TEMPORARY_DIRECTORY)).isEmptyDirectory();
    }

    @Test
    void theTemporaryDirectoryIsReservedAndHidden() {
        put("visible", "v");

        assertThat(listed("")).containsExactly("visible (1)");
        assertThatThrownBy(() -> put(LocalBlobStore.TEMPORARY_DIRECTORY + "/x", "sneaky"))
                .hasMessageContaining("reserved for writes in progress");
        assertThatThrownBy(() -> store.list(BlobKey.of(LocalBlobStore.TEMPORARY_DIRECTORY)))
                .hasMessageContaining("reserved for writes in progress");
    }

    @Test
    void partialWritesLeftByACrashAreRemovedWhenTheStoreOpensOnceStale() throws IOException {
        Path temporary = root().resolve(LocalBlobStore.TEMPORARY_DIRECTORY);
        Path stale = Files.writeString(temporary.resolve("put-crashed.part"), "half");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        Path recent = Files.writeString(temporary.resolve("put-running.part"), "still being written");

        LocalBlobStore.open(directory.resolve("store"));

        assertThat(stale).doesNotExist();
        assertThat(recent).exists();
    }

    @Test
    void aSymbolicLinkOutOfTheRootLeadsNowhere() throws IOException {
        assertSymbolicLinksLeadNowhere();
    }

    @Test
    void aSymbolicLinkPlantedInADirectoryAlreadyWrittenToLeadsNowhereToo() throws IOException {
        // the store remembers directories it has checked; a link that appears in one afterwards is still caught
        put("1/ok.txt", "ok");
        store.stat(BlobKey.of("1/ok.txt"));

        assertSymbolicLinksLeadNowhere();
    }

    private void assertSymbolicLinksLeadNowhere() throws IOException {
        Files.writeString(outside.resolve("secret.txt"), "do not serve");
        Files.createDirectories(root().resolve("1"));
        Files.createSymbolicLink(root().resolve("1/escape"), outside);
        Files.createSymbolicLink(root().resolve("1/secret-link.txt"), outside.resolve("secret.txt"));

        for (String key : new String[] {"1/escape/secret.txt", "1/secret-link.txt"}) {
            assertThatThrownBy(() -> store.open(BlobKey.of(key)))
                    .isInstanceOf(AxleException.class)
                    .hasMessageContaining("leads out of the store")
                    .extracting(failure -> ((AxleException) failure).errorCode())
                    .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
            assertThatThrownBy(() -> store.stat(BlobKey.of(key))).hasMessageContaining("leads out of the store");
            assertThatThrownBy(() -> store.delete(BlobKey.of(key))).hasMessageContaining("leads out of the store");
        }
        assertThatThrownBy(() -> put("1/escape/planted.txt", "x")).hasMessageContaining("leads out of the store");
        assertThatThrownBy(() -> store.list(BlobKey.of("1/escape"))).hasMessageContaining("leads out of the store");
        assertThatThrownBy(() -> store.deletePrefix(BlobKey.of("1/escape")))
                .hasMessageContaining("leads out of the store");

        assertThat(listed("1")).doesNotContain("1/escape", "1/secret-link.txt");
        assertThat(outside.resolve("planted.txt")).doesNotExist();
        assertThat(outside.resolve("secret.txt")).hasContent("do not serve");
    }

    @Test
    void aDanglingSymbolicLinkLeadsNowhere() throws IOException {
        Files.createSymbolicLink(root().resolve("dangling"), outside.resolve("not-yet"));

        assertThatThrownBy(() -> put("dangling/x", "x")).hasMessageContaining("leads out of the store");
        assertThat(outside.resolve("not-yet")).doesNotExist();
    }

    @Test
    void symbolicLinksWithinTheRootAreFollowed() throws IOException {
        put("real/data.csv", "a,b\n");
        Files.createSymbolicLink(root().resolve("alias"), root().resolve("real"));

        assertThat(read("alias/data.csv")).isEqualTo("a,b\n");
        assertThat(listed("")).containsExactly("alias/", "real/");
    }

    @Test
    void deletingAPrefixRemovesLinksNotWhatTheyPointAt() throws IOException {
        Files.writeString(outside.resolve("keep.txt"), "keep");
        put("run/artifacts/a.txt", "a");
        Files.createSymbolicLink(root().resolve("run/artifacts/link"), outside);

        store.deletePrefix(BlobKey.of("run"));

        assertThat(root().resolve("run")).doesNotExist();
        assertThat(outside.resolve("keep.txt")).hasContent("keep");
    }

    @Test
    void filesNoKeyCanNameAreLeftOutOfListings() throws IOException {
        Files.writeString(root().resolve("back\\slash"), "x");
        Files.writeString(root().resolve("new\nline"), "x");
        put("fine", "y");

        assertThat(listed("")).containsExactly("fine (1)");
    }

    @Test
    void storedFilesAreReadableAsUsualNotPrivateTemporaryFiles() throws IOException {
        put("readme.md", "# model");

        assertThat(Files.getPosixFilePermissions(root().resolve("readme.md")))
                .isEqualTo(Files.getPosixFilePermissions(Files.writeString(outside.resolve("plain"), "x")));
    }

    @Test
    void aStoreOpensOverAMissingDirectory() {
        LocalBlobStore fresh = LocalBlobStore.open(directory.resolve("new/nested/store"));
        fresh.put(BlobKey.of("x"), new ByteArrayInputStream("1".getBytes(StandardCharsets.UTF_8)));

        assertThat(directory.resolve("new/nested/store/x")).hasContent("1");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
