package io.axle.data.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.data.hash.HashName;
import io.axle.data.hash.Md5;
import io.axle.data.hash.Progress;
import io.axle.data.repo.DataException;
import io.axle.data.workspace.Workspace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** get, import and update from a second Git repository with a local remote of its own. */
class ImportsTest {
    @TempDir
    Path directory;

    private GitRepo registry;
    private String firstCommit;

    @BeforeEach
    void registryWithARemote() {
        registry = GitRepo.create(directory.resolve("registry"));
        // relative to registry/.dvc, as DVC reads it
        registry.remote("storage", "../../registry-store", Map.of(), true);
        registry.write("datasets/labels.csv", "id,label\n1,cat\n");
        registry.write("datasets/images/a.png", "png-a");
        registry.write("datasets/images/b.png", "png-b");
        registry.add("datasets/labels.csv", "datasets/images");
        try (Workspace workspace = registry.workspace();
                Remote remote = registry.openRemote()) {
            new DataSync(workspace, remote, 2, Progress.NONE).push(List.of());
        }
        registry.commitAll("data v1");
        firstCommit = registry.git("rev-parse", "HEAD").strip();
        // only the remote has the data now: get and import must fetch it from there
        GitRepo.deleteTree(registry.root.resolve(".dvc/cache"));
    }

    private Imports imports() {
        return new Imports(directory, Map.of(), 2);
    }

    @Test
    void getWritesTheDataFetchedFromTheOtherRepositorysRemote() {
        Path out = directory.resolve("got-images");
        imports().get(registry.root.toString(), "datasets/images", Optional.empty(), out);
        assertThat(out.resolve("a.png")).hasContent("png-a");
        assertThat(out.resolve("b.png")).hasContent("png-b");

        Path file = directory.resolve("labels.csv");
        imports().get(registry.root.toString(), "datasets/labels.csv", Optional.of("main"), file);
        assertThat(file).hasContent("id,label\n1,cat\n");
    }

    @Test
    void getCopiesAFileGitItselfTracks() {
        registry.write("README.md", "# registry\n");
        registry.commitAll("readme");
        Path out = directory.resolve("README.md");
        imports().get(registry.root.toString(), "README.md", Optional.empty(), out);
        assertThat(out).hasContent("# registry\n");
    }

    @Test
    void aPathInsideATrackedDirectoryIsItsFileOrAPartOfIt() {
        registry.write("corpus/en/a.txt", "hello");
        registry.write("corpus/en/b.txt", "world");
        registry.write("corpus/de/c.txt", "hallo");
        registry.add("corpus");
        try (Workspace workspace = registry.workspace();
                Remote remote = registry.openRemote()) {
            new DataSync(workspace, remote, 2, Progress.NONE).push(List.of());
        }
        registry.commitAll("corpus");
        GitRepo.deleteTree(registry.root.resolve(".dvc/cache"));

        Path file = directory.resolve("a.txt");
        imports().get(registry.root.toString(), "corpus/en/a.txt", Optional.empty(), file);
        assertThat(file).hasContent("hello");

        GitRepo project = GitRepo.create(directory.resolve("project"));
        try (Workspace workspace = project.workspace()) {
            imports()
                    .importData(
                            workspace,
                            registry.root.toString(),
                            "corpus/en",
                            Optional.empty(),
                            project.root.resolve("en"));
            assertThat(workspace.status(List.of()).isClean()).isTrue();
        }
        String part = new io.axle.data.hash.DirManifest(List.of(
                        new io.axle.data.hash.DirManifest.Entry("a.txt", Md5.ofBytes("hello".getBytes())),
                        new io.axle.data.hash.DirManifest.Entry("b.txt", Md5.ofBytes("world".getBytes()))))
                .hash();
        assertThat(project.read("en.dvc")).contains("- md5: " + part + "\n  size: 10\n  nfiles: 2\n  hash: md5\n");
        assertThat(project.read("en/b.txt")).isEqualTo("world");
        assertThat(project.root.resolve("en/c.txt")).doesNotExist();
    }

    @Test
    void getOfAPathDvcDoesNotTrackFails() {
        assertThatThrownBy(() -> imports()
                        .get(registry.root.toString(), "nothing-here", Optional.empty(), directory.resolve("x")))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("unable to find DVC file with output 'nothing-here'");
    }

    @Test
    void importWritesAFrozenDvcFileAsDvc3AndUpdateFollowsTheBranch() {
        GitRepo project = GitRepo.create(directory.resolve("project"));
        String url = registry.root.toString();
        String labelsMd5 = Md5.ofBytes("id,label\n1,cat\n".getBytes(StandardCharsets.UTF_8));
        Imports.Imported imported;
        try (Workspace workspace = project.workspace()) {
            imported = imports()
                    .importData(
                            workspace,
                            url,
                            "datasets/labels.csv",
                            Optional.empty(),
                            project.root.resolve("labels.csv"));
        }
        assertThat(imported.revLock()).isEqualTo(firstCommit);
        assertThat(project.read("labels.csv")).isEqualTo("id,label\n1,cat\n");
        assertThat(project.read(".gitignore")).contains("/labels.csv");
        String expectedMd5 = Imports.stageMd5(
                "datasets/labels.csv",
                url,
                Optional.empty(),
                firstCommit,
                new Imports.SourceOutput(HashName.MD5, labelsMd5, OptionalLong.of(15), OptionalLong.empty(), false),
                "labels.csv");
        assertThat(project.read("labels.csv.dvc"))
                .isEqualTo("md5: " + expectedMd5 + "\nfrozen: true\ndeps:\n- path: datasets/labels.csv\n  repo:\n"
                        + "    url: " + url + "\n    rev_lock: " + firstCommit + "\nouts:\n- md5: " + labelsMd5
                        + "\n  size: 15\n  hash: md5\n  path: labels.csv\n");
        assertThat(project.repo().cache().contains(HashName.MD5, labelsMd5)).isTrue();

        // a new version in the registry; update follows the branch
        registry.write("datasets/labels.csv", "id,label\n1,cat\n2,dog\n");
        registry.add("datasets/labels.csv");
        try (Workspace workspace = registry.workspace();
                Remote remote = registry.openRemote()) {
            new DataSync(workspace, remote, 2, Progress.NONE).push(List.of());
        }
        registry.commitAll("data v2");
        String secondCommit = registry.git("rev-parse", "HEAD").strip();

        Imports.Imported updated;
        try (Workspace workspace = project.workspace()) {
            updated = imports().update(workspace, project.root.resolve("labels.csv.dvc"), Optional.empty());
            assertThat(workspace.status(List.of()).isClean()).isTrue();
        }
        assertThat(updated.changed()).isTrue();
        assertThat(updated.revLock()).isEqualTo(secondCommit);
        assertThat(project.read("labels.csv")).isEqualTo("id,label\n1,cat\n2,dog\n");
        assertThat(project.read("labels.csv.dvc")).contains("rev_lock: " + secondCommit);

        // back to the first commit by sha, which is no branch: a full clone
        try (Workspace workspace = project.workspace()) {
            imports().update(workspace, project.root.resolve("labels.csv.dvc"), Optional.of(firstCommit));
        }
        assertThat(project.read("labels.csv")).isEqualTo("id,label\n1,cat\n");
        assertThat(project.read("labels.csv.dvc"))
                .contains("    rev: " + firstCommit + "\n    rev_lock: " + firstCommit);
    }

    @Test
    void importOfADirectoryFetchesEveryFile() {
        GitRepo project = GitRepo.create(directory.resolve("project"));
        try (Workspace workspace = project.workspace()) {
            imports()
                    .importData(
                            workspace,
                            registry.root.toString(),
                            "datasets/images",
                            Optional.of("main"),
                            project.root.resolve("images"));
            assertThat(workspace.status(List.of()).isClean()).isTrue();
        }
        assertThat(project.read("images/a.png")).isEqualTo("png-a");
        assertThat(project.read("images.dvc")).contains("nfiles: 2", "rev: main", "path: images\n", "frozen: true");
    }

    @Test
    void theStageMd5IsTheOneDvcWroteForTheGetStartedImport() {
        // real-world/example-get-started@06ea489/data/data.xml.dvc, written by DVC 3
        String md5 = Imports.stageMd5(
                "get-started/data.xml",
                "https://github.com/iterative/dataset-registry",
                Optional.empty(),
                "f59388cd04276e75d70b2136597aaa27e7937cc3",
                new Imports.SourceOutput(
                        HashName.MD5,
                        "22a1a2931c8370d3aeedd7183606fd7f",
                        OptionalLong.of(14445097),
                        OptionalLong.empty(),
                        false),
                "data.xml");
        assertThat(md5).isEqualTo("f5ea021eddd7b1df6de80b904cba1da6");
    }
}
