package io.axle.data.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.data.cache.Cache;
import io.axle.data.cache.ObjectId;
import io.axle.data.hash.DirManifest;
import io.axle.data.hash.HashName;
import io.axle.data.hash.Md5;
import io.axle.data.repo.DataException;
import io.axle.data.repo.DvcRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceTest {
    @TempDir
    Path directory;

    @Test
    void initWritesDvcsFiles() {
        TestRepo.create(directory);

        assertThat(directory.resolve(".dvc/config")).exists();
        assertThat(directory.resolve(".dvc/.gitignore")).hasContent("/config.local\n/tmp\n/cache");
        assertThat(directory.resolve(".dvcignore")).exists();
        assertThat(TestRepo.git(directory, "diff", "--cached", "--name-only"))
                .isEqualTo(".dvc/.gitignore\n.dvc/config\n.dvcignore\n");
    }

    @Test
    void addingAFileWritesItsDvcFileCacheObjectAndGitignore() throws Exception {
        TestRepo repo = TestRepo.create(directory);
        repo.write("foo", "foo");

        repo.add("foo");

        assertThat(repo.read("foo.dvc"))
                .isEqualTo("outs:\n- md5: acbd18db4cc2f85cedef654fccc4a4d8\n  size: 3\n  hash: md5\n  path: foo\n");
        Path object = directory.resolve(".dvc/cache/files/md5/ac/bd18db4cc2f85cedef654fccc4a4d8");
        assertThat(object).hasContent("foo");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(object)))
                .isEqualTo("r--r--r--");
        assertThat(repo.read(".gitignore")).isEqualTo("/foo\n");
        assertThat(repo.read("foo")).isEqualTo("foo");
        try (Workspace workspace = repo.workspace()) {
            assertThat(workspace.status(List.of()).isClean()).isTrue();
        }
    }

    @Test
    void aDirectoryIsHashedAsDvcDoesWithDashBeforeSlashAndEmptyDirectoriesLeftOut() throws Exception {
        TestRepo repo = TestRepo.create(directory);
        repo.write("data/a-b", "1");
        repo.write("data/a/b", "2");
        repo.write("data/a0", "3");
        Files.createDirectories(directory.resolve("data/empty/deeper"));

        repo.add("data");

        // hash computed with Python's json.dumps(sort_keys=True) over the same three files
        assertThat(repo.read("data.dvc"))
                .isEqualTo("outs:\n- md5: a811b5737aabf161037aaa9fafa0ad78.dir\n  size: 3\n  nfiles: 3\n"
                        + "  hash: md5\n  path: data\n");
        assertThat(directory.resolve(".dvc/cache/files/md5/a8/11b5737aabf161037aaa9fafa0ad78.dir"))
                .exists();
        assertThat(repo.read(".gitignore")).isEqualTo("/data\n");
    }

    @Test
    void unicodeAndSpacedNamesRoundTripThroughCheckout() throws Exception {
        TestRepo repo = TestRepo.create(directory);
        repo.write("my data/café au lait.txt", "x");
        repo.write("my data/\uD83D\uDE00.bin", "y");
        repo.write("my data/\uFF5E", "z");
        repo.write("my data/sp ace/f", "w");
        repo.add("my data");
        assertThat(repo.read("my data.dvc")).contains("md5: 699afb3707a041473543e243b289dd1b.dir");
        deleteTree(directory.resolve("my data"));

        try (Workspace workspace = repo.workspace()) {
            CheckoutReport report = workspace.checkout(List.of(), false);
            assertThat(report.added()).containsExactly("my data/");
        }

        assertThat(repo.read("my data/\uD83D\uDE00.bin")).isEqualTo("y");
        assertThat(repo.read("my data/sp ace/f")).isEqualTo("w");
    }

    @Test
    void executablesAreRecordedAndComeBackExecutable() throws Exception {
        TestRepo repo = TestRepo.create(directory);
        Path script = repo.write("run.sh", "#!/bin/sh\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));

        repo.add("run.sh");
        Files.delete(script);
        try (Workspace workspace = repo.workspace()) {
            workspace.checkout(List.of(), false);
        }

        assertThat(repo.read("run.sh.dvc")).contains("  isexec: true\n");
        assertThat(Files.isExecutable(script)).isTrue();
    }

    @Test
    void statusNamesModifiedDeletedAndMissingFromCacheAsDvcDoes() throws Exception {
        TestRepo repo = TestRepo.create(directory);
        repo.write("a", "a");
        repo.write("b", "b");
        repo.write("data/c", "c");
        repo.add("a", "b", "data");
        repo.write("a", "changed");
        Files.delete(directory.resolve("b"));
        Path object = directory.resolve(".dvc/cache/files/md5/4a/8a08f09d37b73795649038408b5f33");
        Files.delete(object);

        try (Workspace workspace = repo.workspace()) {
            StatusReport status = workspace.status(List.of());

            assertThat(status.toDvcJson())
                    .isEqualTo(Map.of(
                            "a.dvc", List.of(Map.of("changed outs", Map.of("a", "modified"))),
                            "b.dvc", List.of(Map.of("changed outs", Map.of("b", "deleted"))),
                            "data.dvc", List.of(Map.of("changed outs", Map.of("data", "not in cache")))));
            assertThat(status.toLines()).contains("a.dvc:", "\tchanged outs:", "\t\tmodified:           a");
            assertThat(workspace.status(List.of(directory.resolve("data"))).changes())
                    .extracting(OutputStatus::path)
                    .containsExactly("data");
        }
    }

    @Test
    void statusOfAnUnchangedTreeHashesNothing() throws Exception {
        TestRepo repo = TestRepo.create(directory);
        for (int i = 0; i < 50; i++) {
            repo.write("data/f" + i, "content " + i);
        }
        repo.add("data");
        try (Workspace warm = repo.workspace()) {
            warm.status(List.of());
        }

        AtomicLong hashed = new AtomicLong();
        try (Workspace workspace = new Workspace(DvcRepo.find(directory), TestRepo.countingBytes(hashed))) {
            assertThat(workspace.status(List.of()).isClean()).isTrue();
        }

        assertThat(hashed.get()).isZero();
    }

    @Test
    void checkoutLeavesUnsavedChangesAloneUnlessForced() throws Exception {
        TestRepo repo = TestRepo.create(directory);
        repo.write("foo", "foo");
        repo.write("data/x", "x");
        repo.add("foo", "data");
        repo.write("foo", "unsaved work");
        repo.write("data/x", "unsaved too");
        repo.write("data/extra", "new file");

        try (Workspace workspace = repo.workspace()) {
            assertThatThrownBy(() -> workspace.checkout(List.of(), false))
                    .isInstanceOfSatisfying(
                            DataException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
                    .hasMessageContaining("foo")
                    .hasMessageContaining("data/x");
        }
        assertThat(repo.read("foo")).isEqualTo("unsaved work");
        assertThat(repo.read("data/x")).isEqualTo("unsaved too");
        assertThat(repo.read("data/extra")).isEqualTo("new file");

        try (Workspace workspace = repo.workspace()) {
            CheckoutReport report = workspace.checkout(List.of(), true);
            assertThat(report.modified()).containsExactlyInAnyOrder("foo", "data/");
        }
        assertThat(repo.read("foo")).isEqualTo("foo");
        assertThat(repo.read("data/x")).isEqualTo("x");
        assertThat(directory.resolve("data/extra")).doesNotExist();
    }

    @Test
    void checkoutReplacesAFileWhoseContentIsSavedWithoutForce() throws Exception {
        TestRepo repo = TestRepo.create(directory);
        repo.write("foo", "v1");
        repo.add("foo");
        String v1 = repo.read("foo.dvc");
        repo.write("foo", "v2");
        repo.add("foo");
        Files.writeString(directory.resolve("foo.dvc"), v1);

        try (Workspace workspace = repo.workspace()) {
            workspace.checkout(List.of(directory.resolve("foo.dvc")), false);
        }

        assertThat(repo.read("foo")).isEqualTo("v1");
    }

    @Test
    void checkoutOfAMissingObjectFailsForThatTargetOnly() throws Exception {
        TestRepo repo = TestRepo.create(directory);
        repo.write("a", "a");
        repo.write("b", "b");
        repo.add("a", "b");
        Files.delete(directory.resolve("a"));
        Files.delete(directory.resolve("b"));
        Files.delete(directory.resolve(".dvc/cache/files/md5/0c/c175b9c0f1b6a831c399e269772661"));

        try (Workspace workspace = repo.workspace()) {
            assertThatThrownBy(() -> workspace.checkout(List.of(), false))
                    .hasMessageContaining("Checkout failed for following targets:\na");
        }
        assertThat(repo.read("b")).isEqualTo("b");
    }

    @Test
    void commitRecordsNewContentAndKeepsOtherKeys() throws Exception {
        TestRepo repo = TestRepo.create(directory);
        repo.write("foo", "foo");
        Files.writeString(
                directory.resolve("foo.dvc"),
                "outs:\n- path: foo\n  md5: acbd18db4cc2f85cedef654fccc4a4d8\n  size: 3\n"
                        + "  desc: the foo dataset\n  remote: store\n  hash: md5\nmeta:\n  owner: data-team\n");
        repo.write("foo", "foo2");

        try (Workspace workspace = repo.workspace()) {
            workspace.commit(List.of(directory.resolve("foo")));
        }

        assertThat(repo.read("foo.dvc"))
                .isEqualTo("outs:\n- path: foo\n  md5: 92e0057157f69e22a364d6b22dd6bbd5\n  size: 4\n"
                        + "  desc: the foo dataset\n  remote: store\n  hash: md5\nmeta:\n  owner: data-team\n");
        assertThat(directory.resolve(".dvc/cache/files/md5/92/e0057157f69e22a364d6b22dd6bbd5"))
                .exists();
    }

    @Test
    void aDvc2FileAndCacheAreReadWithTheirDos2UnixHash() throws Exception {
        TestRepo repo = TestRepo.create(directory);
        // DVC 2 recorded "a\r\nb\r\nc" as md5("a\nb\nc") and cached the raw bytes at .dvc/cache/ab/cdef...
        repo.write("notes.txt", "a\r\nb\r\nc");
        Files.writeString(
                directory.resolve("notes.txt.dvc"),
                "outs:\n- md5: c32b2057b9bd62caa835386346177935\n  size: 7\n  path: notes.txt\n");
        Path legacy = directory.resolve(".dvc/cache/c3/2b2057b9bd62caa835386346177935");
        Files.createDirectories(legacy.getParent());
        Files.writeString(legacy, "a\r\nb\r\nc");

        try (Workspace workspace = repo.workspace()) {
            assertThat(workspace.status(List.of()).isClean()).isTrue();
            Files.delete(directory.resolve("notes.txt"));
            workspace.checkout(List.of(), false);
        }

        assertThat(repo.read("notes.txt")).isEqualTo("a\r\nb\r\nc");
    }

    @Test
    void aDvc2DirectoryWithWdirIsReadFromTheOldCacheLayout() throws Exception {
        TestRepo repo = TestRepo.create(directory);
        Path crlf = repo.write("cats/readme.txt", "one\r\ntwo\r\n");
        Path binary = repo.write("cats/img.bin", new byte[] {0, 1, '\r', '\n'});
        DirManifest manifest = new DirManifest(List.of(
                new DirManifest.Entry("readme.txt", Md5.ofFileDos2Unix(crlf)),
                new DirManifest.Entry("img.bin", Md5.ofFileDos2Unix(binary))));
        Cache cache = new Cache(directory.resolve(".dvc/cache"));
        for (Path file : List.of(crlf, binary)) {
            Path object = cache.objectPath(HashName.MD5_DOS2UNIX, Md5.ofFileDos2Unix(file));
            Files.createDirectories(object.getParent());
            Files.copy(file, object);
        }
        Path manifestObject = cache.objectPath(HashName.MD5_DOS2UNIX, manifest.hash());
        Files.createDirectories(manifestObject.getParent());
        Files.write(manifestObject, manifest.toBytes());
        // as DVC 1.x wrote it (dataset-registry use-cases/cats-dogs.dvc@0547f58), from a subdirectory with wdir
        Files.createDirectories(directory.resolve("registry"));
        Files.writeString(
                directory.resolve("registry/cats.dvc"),
                "md5: 0f95f3c3bcf7c80a33a2b7342ce3bf37\nwdir: ..\nouts:\n- md5: " + manifest.hash()
                        + "\n  path: cats\n  cache: true\n  metric: false\n  persist: false\n");

        try (Workspace workspace = repo.workspace()) {
            assertThat(workspace.status(List.of()).isClean()).isTrue();
            deleteTree(directory.resolve("cats"));
            assertThat(workspace.status(List.of()).changes())
                    .containsExactly(new OutputStatus("registry/cats.dvc", "cats", OutputState.DELETED));
            workspace.checkout(List.of(), false);
        }

        assertThat(Files.readAllBytes(crlf)).isEqualTo("one\r\ntwo\r\n".getBytes());
        assertThat(Files.readAllBytes(binary)).isEqualTo(new byte[] {0, 1, '\r', '\n'});
    }

    @Test
    void addingAgainMovesALegacyEntryToDvc3() throws Exception {
        TestRepo repo = TestRepo.create(directory);
        repo.write("notes.txt", "a\r\nb\r\nc");
        Files.writeString(
                directory.resolve("notes.txt.dvc"),
                "outs:\n- md5: c32b2057b9bd62caa835386346177935\n  size: 7\n  path: notes.txt\n");

        repo.add("notes.txt");

        assertThat(repo.read("notes.txt.dvc"))
                .isEqualTo(
                        "outs:\n- md5: 17800212205a0baee12dcf34c0748370\n  size: 7\n  hash: md5\n  path: notes.txt\n");
    }

    @Test
    void hardlinkCacheTypeLeavesTheWorkspaceFileLinkedToTheCache() throws Exception {
        TestRepo repo = TestRepo.create(directory);
        Files.writeString(directory.resolve(".dvc/config"), "[cache]\n    type = hardlink\n");
        repo.write("foo", "foo");

        repo.add("foo");

        Path object = directory.resolve(".dvc/cache/files/md5/ac/bd18db4cc2f85cedef654fccc4a4d8");
        assertThat(Files.isSameFile(directory.resolve("foo"), object)).isTrue();
    }

    @Test
    void dvcignoredFilesAreLeftOutOfADirectory() throws Exception {
        TestRepo repo = TestRepo.create(directory);
        Files.writeString(directory.resolve(".dvcignore"), "*.log\ncheckpoints/\n");
        repo.write("data/foo", "foo");
        repo.write("data/bar", "bar");
        repo.write("data/train.log", "noise");
        repo.write("data/checkpoints/c1", "noise");

        repo.add("data");

        assertThat(repo.read("data.dvc")).contains("md5: 5ea40360f5b4ec688df672a4db9c17d1.dir", "nfiles: 2");
    }

    @Test
    void addRefusesFilesGitTracksAndOverlaps() throws Exception {
        TestRepo repo = TestRepo.create(directory);
        repo.write("tracked", "t");
        TestRepo.git(directory, "add", "tracked");
        repo.write("data/x", "x");
        repo.add("data");

        assertThatThrownBy(() -> repo.add("tracked")).hasMessageContaining("already tracked by SCM");
        assertThatThrownBy(() -> repo.add("data/x")).hasMessageContaining("overlapping");
        assertThatThrownBy(() -> repo.add("missing")).hasMessageContaining("does not exist");
    }

    @Test
    void digestOfAPathIsWhatAddWouldRecordAndOfADvcFileWhatItRecords() throws Exception {
        TestRepo repo = TestRepo.create(directory);
        repo.write("data/foo", "foo");
        repo.write("data/bar", "bar");

        try (Workspace workspace = repo.workspace()) {
            Digest digest = workspace.digest(directory.resolve("data")).getFirst();
            assertThat(digest.md5()).isEqualTo("5ea40360f5b4ec688df672a4db9c17d1.dir");
            assertThat(digest.nfiles()).hasValue(2);
        }
        repo.add("data");
        try (Workspace workspace = repo.workspace()) {
            assertThat(workspace.digest(directory.resolve("data.dvc")))
                    .containsExactly(new Digest("data", "5ea40360f5b4ec688df672a4db9c17d1.dir", 6, OptionalInt.of(2)));
        }
    }

    @Test
    void outsideARepositoryIsExit253() {
        assertThatThrownBy(() -> DvcRepo.find(directory))
                .isInstanceOfSatisfying(
                        DataException.class, e -> assertThat(e.exitCode()).isEqualTo(253));
    }

    @Test
    void statusAfterCheckoutHashesNothing() throws Exception {
        TestRepo repo = TestRepo.create(directory);
        repo.write("data/a", "a");
        repo.write("data/b", "b");
        repo.add("data");
        deleteTree(directory.resolve("data"));
        try (Workspace workspace = repo.workspace()) {
            workspace.checkout(List.of(), false);
        }

        AtomicLong hashed = new AtomicLong();
        try (Workspace workspace = new Workspace(DvcRepo.find(directory), TestRepo.countingBytes(hashed))) {
            assertThat(workspace.status(List.of()).isClean()).isTrue();
        }
        assertThat(hashed.get()).isZero();
    }

    @Test
    void usedObjectsListFilesDirectoriesAndTheirEntries() throws Exception {
        TestRepo repo = TestRepo.create(directory);
        repo.write("foo", "foo");
        repo.write("data/bar", "bar");
        repo.add("foo", "data");

        try (Workspace workspace = repo.workspace()) {
            assertThat(workspace.usedObjects(List.of()))
                    .extracting(ObjectId::md5)
                    .containsExactlyInAnyOrder(
                            "acbd18db4cc2f85cedef654fccc4a4d8",
                            "37b51d194a7513e45b56f6524f2d51f2",
                            workspace
                                    .digest(directory.resolve("data.dvc"))
                                    .getFirst()
                                    .md5());
        }
    }

    @Test
    void gitignoreEntriesEscapeGlobCharactersAsDvcDoes() throws Exception {
        TestRepo repo = TestRepo.create(directory);
        repo.write("sub/data [v1]!.csv", "x");

        repo.add("sub/data [v1]!.csv");

        assertThat(repo.read("sub/.gitignore")).isEqualTo("/data \\[v1\\]\\!.csv\n");
        assertThat(TestRepo.git(directory, "status", "--porcelain", "--untracked-files=all"))
                .contains("!.csv.dvc\"")
                .doesNotContain("!.csv\"");
    }

    @Test
    void manyFilesAddedAtOnceEachGetTheirDvcFileAndOneGitignore() throws Exception {
        TestRepo repo = TestRepo.create(directory);
        String[] names = new String[12];
        for (int i = 0; i < names.length; i++) {
            names[i] = "tables/t" + i + ".csv";
            repo.write(names[i], "row " + i);
        }

        repo.add(names);

        for (int i = 0; i < names.length; i++) {
            assertThat(repo.read(names[i] + ".dvc")).contains("md5: " + Md5.ofBytes(("row " + i).getBytes()));
            assertThat(repo.read("tables/.gitignore")).contains("/t" + i + ".csv\n");
        }
        assertThat(repo.read("tables/.gitignore").lines()).hasSize(names.length);
        try (Workspace workspace = repo.workspace()) {
            assertThat(workspace.status(List.of()).isClean()).isTrue();
        }
    }

    static void deleteTree(Path root) throws Exception {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
