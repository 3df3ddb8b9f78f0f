package io.axle.data.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.axle.data.hash.DirManifest;
import io.axle.data.hash.HashName;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheTest {
    @TempDir
    Path directory;

    @Test
    void aSavedFileLandsAtDvc3sPathReadOnly() throws Exception {
        Cache cache = new Cache(directory.resolve("cache"));
        Path file = Files.write(directory.resolve("foo"), "foo".getBytes());

        cache.saveFile(file, "acbd18db4cc2f85cedef654fccc4a4d8");

        Path object = directory.resolve("cache/files/md5/ac/bd18db4cc2f85cedef654fccc4a4d8");
        assertThat(object).hasContent("foo");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(object)))
                .isEqualTo("r--r--r--");
        assertThat(cache.contains(HashName.MD5, "acbd18db4cc2f85cedef654fccc4a4d8"))
                .isTrue();
        try (var leftovers = Files.list(object.getParent())) {
            assertThat(leftovers).containsExactly(object);
        }
    }

    @Test
    void dvc2ObjectsAreFoundAtTheOldPath() throws Exception {
        Cache cache = new Cache(directory.resolve("cache"));
        Path legacy = directory.resolve("cache/ac/bd18db4cc2f85cedef654fccc4a4d8");
        Files.createDirectories(legacy.getParent());
        Files.write(legacy, "foo".getBytes());

        assertThat(cache.find(HashName.MD5_DOS2UNIX, "acbd18db4cc2f85cedef654fccc4a4d8"))
                .contains(legacy);
        assertThat(cache.contains(HashName.MD5, "acbd18db4cc2f85cedef654fccc4a4d8"))
                .isFalse();
    }

    @Test
    void aStreamWithTheWrongBytesIsNotSaved() {
        Cache cache = new Cache(directory.resolve("cache"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cache.saveStream(
                        new ByteArrayInputStream("bar".getBytes()), HashName.MD5, "acbd18db4cc2f85cedef654fccc4a4d8"))
                .hasMessageContaining("37b51d194a7513e45b56f6524f2d51f2");
        assertThat(cache.contains(HashName.MD5, "acbd18db4cc2f85cedef654fccc4a4d8"))
                .isFalse();
    }

    @Test
    void manifestsAreSavedAsDirObjects() {
        Cache cache = new Cache(directory.resolve("cache"));
        DirManifest manifest = new DirManifest(List.of(
                new DirManifest.Entry("foo", "acbd18db4cc2f85cedef654fccc4a4d8"),
                new DirManifest.Entry("bar", "37b51d194a7513e45b56f6524f2d51f2")));

        String hash = cache.saveManifest(manifest);

        assertThat(hash).isEqualTo("5ea40360f5b4ec688df672a4db9c17d1.dir");
        assertThat(directory.resolve("cache/files/md5/5e/a40360f5b4ec688df672a4db9c17d1.dir"))
                .exists();
        assertThat(cache.readManifest(HashName.MD5, hash)).contains(manifest);
    }

    @Test
    void linkingCopiesAWritableFileByDefault() throws Exception {
        Cache cache = new Cache(directory.resolve("cache"));
        Path file = Files.write(directory.resolve("foo"), "foo".getBytes());
        cache.saveFile(file, "acbd18db4cc2f85cedef654fccc4a4d8");
        Path target = directory.resolve("work/sub/foo");

        LinkType used = new CacheLinker(LinkType.DEFAULT)
                .link(cache.objectPath("acbd18db4cc2f85cedef654fccc4a4d8"), target, true);

        assertThat(used).isIn(LinkType.REFLINK, LinkType.COPY);
        assertThat(target).hasContent("foo");
        assertThat(Files.isWritable(target)).isTrue();
        assertThat(Files.isExecutable(target)).isTrue();
    }

    @Test
    void hardlinksAndSymlinksPointIntoTheCache() throws Exception {
        Cache cache = new Cache(directory.resolve("cache"));
        Path file = Files.write(directory.resolve("foo"), "foo".getBytes());
        cache.saveFile(file, "acbd18db4cc2f85cedef654fccc4a4d8");
        Path object = cache.objectPath("acbd18db4cc2f85cedef654fccc4a4d8");

        new CacheLinker(List.of(LinkType.HARDLINK)).link(object, directory.resolve("hard"), false);
        new CacheLinker(List.of(LinkType.SYMLINK)).link(object, directory.resolve("soft"), false);

        assertThat(CacheLinker.isLinkedTo(directory.resolve("hard"), object)).isTrue();
        assertThat(Files.readSymbolicLink(directory.resolve("soft"))).isEqualTo(object);
    }

    @Test
    void listingFindsObjectsOfBothLayoutsAndSkipsTemporaryFiles() throws Exception {
        Cache cache = new Cache(directory.resolve("cache"));
        cache.saveFile(Files.write(directory.resolve("foo"), "foo".getBytes()), "acbd18db4cc2f85cedef654fccc4a4d8");
        Path legacy = directory.resolve("cache/37/b51d194a7513e45b56f6524f2d51f2");
        Files.createDirectories(legacy.getParent());
        Files.write(legacy, "bar".getBytes());
        Files.write(directory.resolve("cache/37/b51d194a7513e45b56f6524f2d51f2.1234.tmp"), "ba".getBytes());

        assertThat(cache.listObjects())
                .containsExactlyInAnyOrder(
                        new ObjectId(HashName.MD5, "acbd18db4cc2f85cedef654fccc4a4d8"),
                        new ObjectId(HashName.MD5_DOS2UNIX, "37b51d194a7513e45b56f6524f2d51f2"));
        assertThat(new ObjectId(HashName.MD5, "acbd18db4cc2f85cedef654fccc4a4d8").relativePath())
                .isEqualTo("files/md5/ac/bd18db4cc2f85cedef654fccc4a4d8");
    }

    @Test
    void aReflinkEitherClonesTheBytesOrLeavesNothing() throws Exception {
        Path source = Files.write(directory.resolve("source"), "clone me".getBytes());
        Path target = directory.resolve("target");

        if (Reflink.tryClone(source, target)) {
            assertThat(target).hasContent("clone me");
        } else {
            assertThat(target).doesNotExist();
        }
    }
}
