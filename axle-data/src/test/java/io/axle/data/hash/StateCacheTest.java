package io.axle.data.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateCacheTest {
    @TempDir
    Path directory;

    @Test
    void anUnchangedFileIsAnsweredFromTheSavedStateWithoutReadingIt() throws Exception {
        Path file = Files.write(directory.resolve("data"), "foo".getBytes());
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60)));
        Path stateFile = directory.resolve("tmp/state");
        StateCache state = StateCache.open(stateFile);
        try (Hasher hasher = new Hasher(state, Progress.NONE)) {
            hasher.hashFile(file, HashName.MD5);
        }
        state.save();

        CountingProgress progress = new CountingProgress();
        try (Hasher hasher = new Hasher(StateCache.open(stateFile), progress)) {
            assertThat(hasher.hashFile(file, HashName.MD5).md5()).isEqualTo("acbd18db4cc2f85cedef654fccc4a4d8");
        }
        assertThat(progress.bytes).isZero();
    }

    @Test
    void aChangedFileIsHashedAgain() throws Exception {
        Path file = Files.write(directory.resolve("data"), "foo".getBytes());
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60)));
        StateCache state = StateCache.open(directory.resolve("state"));
        try (Hasher hasher = new Hasher(state, Progress.NONE)) {
            hasher.hashFile(file, HashName.MD5);
            Files.write(file, "bar".getBytes());
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(30)));

            assertThat(hasher.hashFile(file, HashName.MD5).md5()).isEqualTo("37b51d194a7513e45b56f6524f2d51f2");
        }
    }

    @Test
    void aDamagedStateFileOnlyMeansHashingAgain() throws Exception {
        Path stateFile = Files.write(directory.resolve("state"), new byte[] {0, 0, 0, 1, 0x7f, 1, 2});
        Path file = Files.write(directory.resolve("data"), "foo".getBytes());

        try (Hasher hasher = new Hasher(StateCache.open(stateFile), Progress.NONE)) {
            assertThat(hasher.hashFile(file, HashName.MD5).md5()).isEqualTo("acbd18db4cc2f85cedef654fccc4a4d8");
        }
    }

    static final class CountingProgress implements Progress {
        volatile long bytes;

        @Override
        public synchronized void bytesHashed(long count) {
            bytes += count;
        }

        @Override
        public void fileDone() {}
    }
}
