package io.axle.data.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DvcIgnoreTest {
    private final Path root = Path.of("/repo");

    private DvcIgnore ignore(String... lines) {
        return DvcIgnore.parse(root, List.of(lines));
    }

    @Test
    void aNameWithoutSlashMatchesAtAnyDepth() {
        DvcIgnore ignore = ignore("# comment", "*.log", "tmp");

        assertThat(ignore.test(Path.of("train.log"))).isTrue();
        assertThat(ignore.test(Path.of("data/deep/x.log"))).isTrue();
        assertThat(ignore.test(Path.of("data/tmp/file"))).isTrue();
        assertThat(ignore.test(Path.of("data/x.csv"))).isFalse();
    }

    @Test
    void aLeadingOrInnerSlashAnchorsAtTheRoot() {
        DvcIgnore ignore = ignore("/build", "data/raw/*.bak");

        assertThat(ignore.test(Path.of("build/out"))).isTrue();
        assertThat(ignore.test(Path.of("src/build/out"))).isFalse();
        assertThat(ignore.test(Path.of("data/raw/a.bak"))).isTrue();
        assertThat(ignore.test(Path.of("other/data/raw/a.bak"))).isFalse();
    }

    @Test
    void doubleStarAndNegationWorkAsInGit() {
        DvcIgnore ignore = ignore("**/cache/**", "*.csv", "!keep.csv");

        assertThat(ignore.test(Path.of("a/b/cache/x"))).isTrue();
        assertThat(ignore.test(Path.of("data/drop.csv"))).isTrue();
        assertThat(ignore.test(Path.of("data/keep.csv"))).isFalse();
    }

    @Test
    void dvcAndGitDirectoriesAreAlwaysIgnored() {
        DvcIgnore ignore = ignore();

        assertThat(ignore.test(Path.of(".dvc/cache/ab/cd"))).isTrue();
        assertThat(ignore.test(Path.of(".git/HEAD"))).isTrue();
        assertThat(ignore.test(Path.of("data/.gitignore"))).isFalse();
    }
}
