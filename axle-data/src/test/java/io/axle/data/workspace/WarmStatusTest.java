package io.axle.data.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import io.axle.data.hash.Md5;
import io.axle.data.repo.DvcRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The directory-level state: a status of an unchanged tree trusts it, and every kind of change defeats it. */
class WarmStatusTest {
    @TempDir
    Path directory;

    private TestRepo repo;

    @BeforeEach
    void addATree() {
        repo = TestRepo.create(directory);
        for (int i = 0; i < 20; i++) {
            repo.write("data/d" + (i % 3) + "/f" + i, "content " + i);
        }
        repo.add("data");
    }

    @Test
    void anUnchangedTreeIsAnsweredFromTheTreeStateWithoutReadingTheFileTable() throws Exception {
        assertThat(status()).isEmpty();
        // the per-file table is not needed: a damaged one changes nothing
        Files.writeString(directory.resolve(".dvc/tmp/axle-state"), "damaged");

        AtomicLong hashed = new AtomicLong();
        try (Workspace workspace = new Workspace(DvcRepo.find(directory), TestRepo.countingBytes(hashed))) {
            assertThat(workspace.status(List.of()).isClean()).isTrue();
        }
        assertThat(hashed.get()).isZero();
    }

    @Test
    void aRewrittenFileOfTheSameSizeIsModified() {
        repo.write("data/d1/f1", "CONTENT 1");

        assertThat(status()).isEqualTo(Map.of("data.dvc", List.of(Map.of("changed outs", Map.of("data", "modified")))));
    }

    @Test
    void aNewFileARemovedFileAndARenamedFileAreEachModified() throws Exception {
        repo.write("data/new", "new");
        assertThat(status()).containsKey("data.dvc");
        Files.delete(directory.resolve("data/new"));
        assertThat(status()).isEmpty();

        Files.delete(directory.resolve("data/d0/f0"));
        assertThat(status()).containsKey("data.dvc");
        repo.write("data/d0/f0", "content 0");
        assertThat(status()).isEmpty();

        Files.move(directory.resolve("data/d0/f3"), directory.resolve("data/d0/f3-renamed"));
        assertThat(status()).containsKey("data.dvc");
    }

    @Test
    void anObjectRemovedAfterTheTreeWasFoundCompleteIsNotInCache() throws Exception {
        Path objects = directory.resolve(".dvc/cache/files/md5");
        // prefix directories written more than a timestamp tick ago, so completeness is remembered
        try (Stream<Path> prefixes = Files.list(objects)) {
            for (Path prefix : prefixes.toList()) {
                Files.setLastModifiedTime(prefix, FileTime.from(Instant.now().minusSeconds(60)));
            }
        }
        assertThat(status()).isEmpty();
        assertThat(status()).isEmpty();

        String md5 = Md5.ofBytes("content 7".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Files.delete(objects.resolve(md5.substring(0, 2)).resolve(md5.substring(2)));

        assertThat(status())
                .isEqualTo(Map.of("data.dvc", List.of(Map.of("changed outs", Map.of("data", "not in cache")))));
    }

    @Test
    void aDamagedTreeStateCostsARehashNotAWrongAnswer() throws Exception {
        assertThat(status()).isEmpty();
        Files.writeString(directory.resolve(".dvc/tmp/axle-state-trees"), "damaged");
        repo.write("data/d2/f2", "changed");

        assertThat(status()).containsKey("data.dvc");
    }

    @Test
    void aTreeWithASymbolicLinkIsHashedThroughTheLinkEveryTime() throws Exception {
        repo.write("elsewhere/target", "one");
        repo.write("data/d0/f0", "content 0");
        Files.delete(directory.resolve("data/d0/f0"));
        Files.createSymbolicLink(directory.resolve("data/d0/f0"), directory.resolve("elsewhere/target"));
        repo.add("data");
        assertThat(status()).isEmpty();

        // the link is unchanged; its target is not
        repo.write("elsewhere/target", "two");

        assertThat(status()).containsKey("data.dvc");
    }

    private Map<String, List<Map<String, Map<String, String>>>> status() {
        try (Workspace workspace = repo.workspace()) {
            return workspace.status(List.of()).toDvcJson();
        }
    }
}
