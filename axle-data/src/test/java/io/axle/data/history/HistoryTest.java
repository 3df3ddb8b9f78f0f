package io.axle.data.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.data.pipeline.Comparison;
import io.axle.data.pipeline.MetricsReport;
import io.axle.data.pipeline.ParamsReport;
import io.axle.data.testing.GitWorkTree;
import io.axle.data.workspace.Workspace;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {
    @TempDir
    Path directory;

    private GitWorkTree twoCommits() {
        GitWorkTree tree = new GitWorkTree(directory);
        tree.write("a.txt", "a");
        tree.write("gone.txt", "g");
        tree.write("data/x", "1");
        tree.write("data/y", "2");
        tree.add("a.txt", "gone.txt", "data");
        tree.commit("first");
        tree.write("a.txt", "A");
        tree.write("data/x", "11");
        tree.delete("data/y");
        tree.write("data/z", "3");
        tree.write("new.txt", "n");
        tree.delete("gone.txt.dvc");
        tree.add("a.txt", "data", "new.txt");
        tree.commit("second");
        return tree;
    }

    private Map<String, List<DataDiff.Entry>> diff(GitWorkTree tree, String a, String b) {
        try (Workspace workspace = tree.workspace()) {
            GitTree newer = b == null ? GitTree.workspace(directory) : GitTree.at(directory, b);
            return new DataDiff(workspace).diff(GitTree.at(directory, a), newer);
        }
    }

    @Test
    void diffBetweenTwoCommitsListsAddedDeletedAndModifiedFilesAndDirectories() {
        GitWorkTree tree = twoCommits();

        Map<String, List<DataDiff.Entry>> diff = diff(tree, "HEAD~1", "HEAD");

        assertThat(DataDiff.toJson(diff, false).toString())
                .isEqualTo("{\"added\":[{\"path\":\"data/z\"},{\"path\":\"new.txt\"}],"
                        + "\"deleted\":[{\"path\":\"data/y\"},{\"path\":\"gone.txt\"}],"
                        + "\"modified\":[{\"path\":\"a.txt\"},{\"path\":\"data/\"},{\"path\":\"data/x\"}],"
                        + "\"renamed\":[],\"not in cache\":[]}");
        assertThat(DataDiff.toLines(diff, false))
                .containsExactly(
                        "Added:",
                        "    data/z",
                        "    new.txt",
                        "",
                        "Deleted:",
                        "    data/y",
                        "    gone.txt",
                        "",
                        "Modified:",
                        "    a.txt",
                        "    data/",
                        "    data/x",
                        "",
                        "files summary: 2 added, 2 deleted, 2 modified");
        assertThat(DataDiff.toJson(diff, true).get("modified").get(0).toString())
                .isEqualTo("{\"path\":\"a.txt\",\"hash\":{\"old\":\"0cc175b9c0f1b6a831c399e269772661\","
                        + "\"new\":\"7fc56270e7a70fa81a5935b72eacbe29\"}}");
    }

    @Test
    void diffAgainstTheWorkspaceHashesWhatIsThereAndFindsRenames() {
        GitWorkTree tree = twoCommits();
        assertThat(DataDiff.toJson(diff(tree, "HEAD", null), false).toString()).isEqualTo("{}");

        tree.write("a.txt", "changed");
        tree.write("data/moved", "3");
        tree.delete("data/z");

        Map<String, List<DataDiff.Entry>> diff = diff(tree, "HEAD", null);
        assertThat(DataDiff.toJson(diff, false).toString())
                .isEqualTo("{\"added\":[],\"deleted\":[],"
                        + "\"modified\":[{\"path\":\"a.txt\"},{\"path\":\"data/\"}],"
                        + "\"renamed\":[{\"path\":{\"old\":\"data/z\",\"new\":\"data/moved\"}}],\"not in cache\":[]}");
        assertThat(DataDiff.toLines(diff, false)).contains("    data/z -> data/moved");
        assertThatThrownBy(() -> diff(tree, "nope", null)).hasMessage("unknown Git revision 'nope'");
    }

    @Test
    void lsListsGitFilesAndDvcOutputsWithUnicodeAndSpacedNames() {
        GitWorkTree tree = new GitWorkTree(directory);
        tree.write("read me.md", "r");
        tree.write("café.txt", "c");
        tree.write("my data/ü.bin", "u");
        tree.write("my data/sub dir/ok", "o");
        tree.add("my data");
        tree.commit("files");

        try (Workspace workspace = tree.workspace()) {
            RepoListing listing = new RepoListing(workspace);
            List<RepoListing.Entry> expected = List.of(
                    new RepoListing.Entry(".dvcignore", false, false, false),
                    new RepoListing.Entry(".gitignore", false, false, false),
                    new RepoListing.Entry("café.txt", false, false, false),
                    new RepoListing.Entry("my data", true, true, false),
                    new RepoListing.Entry("my data.dvc", false, false, false),
                    new RepoListing.Entry("read me.md", false, false, false));
            assertThat(listing.list(GitTree.workspace(directory), "", false)).isEqualTo(expected);
            assertThat(listing.list(GitTree.at(directory, "HEAD"), ".", false)).isEqualTo(expected);
            List<RepoListing.Entry> inside = List.of(
                    new RepoListing.Entry("sub dir/ok", true, false, false),
                    new RepoListing.Entry("ü.bin", true, false, false));
            assertThat(listing.list(GitTree.workspace(directory), "my data", true))
                    .isEqualTo(inside);
            assertThat(listing.list(GitTree.at(directory, "HEAD"), "my data/", true))
                    .isEqualTo(inside);
            assertThat(listing.list(GitTree.at(directory, "HEAD"), "my data", false))
                    .containsExactly(
                            new RepoListing.Entry("sub dir", true, true, false),
                            new RepoListing.Entry("ü.bin", true, false, false));
            assertThatThrownBy(() -> listing.list(GitTree.workspace(directory), "missing", false))
                    .hasMessageStartingWith("The path 'missing' does not exist in the target repository");
        }
    }

    @Test
    void metricsAndParamsAreComparedBetweenCommitsAsDvcShowsThem() {
        GitWorkTree tree = new GitWorkTree(directory);
        tree.write(
                "dvc.yaml",
                "stages:\n  train:\n    cmd: echo\n    params:\n    - train.lr\nmetrics:\n- eval/metrics.json\n");
        tree.write("params.yaml", "train:\n  lr: 0.01\n  epochs: 10\nseed: 1\n");
        tree.write("eval/metrics.json", "{\"acc\": 0.8, \"loss\": {\"train\": 0.5, \"test\": 0.7}, \"n\": 100}");
        tree.commit("first");
        tree.write("params.yaml", "train:\n  lr: 0.001\n  epochs: 10\nseed: 1\n");
        tree.write("eval/metrics.json", "{\"acc\": 0.9, \"loss\": {\"train\": 0.4, \"test\": 0.7}, \"n\": 120}");
        tree.commit("second");

        GitTree older = GitTree.at(directory, "HEAD~1");
        GitTree newer = GitTree.at(directory, "HEAD");
        var metrics = Comparison.diff(
                MetricsReport.flatten(MetricsReport.collect(older, List.of())),
                MetricsReport.flatten(MetricsReport.collect(newer, List.of())),
                false);
        assertThat(Comparison.toJson(metrics, true).toString())
                .isEqualTo("{\"eval/metrics.json\":{"
                        + "\"acc\":{\"old\":0.8,\"new\":0.9,\"diff\":0.09999999999999998},"
                        + "\"loss.train\":{\"old\":0.5,\"new\":0.4,\"diff\":-0.09999999999999998},"
                        + "\"n\":{\"old\":100,\"new\":120,\"diff\":20}}}");
        assertThat(Comparison.toTable(metrics, "Metric", "HEAD~1", "HEAD", true))
                .containsExactly(
                        "Path               Metric      HEAD~1  HEAD  Change",
                        "eval/metrics.json  acc         0.8     0.9   0.1",
                        "eval/metrics.json  loss.train  0.5     0.4   -0.1",
                        "eval/metrics.json  n           100     120   20");
        assertThat(MetricsReport.showTable(MetricsReport.collect(newer, List.of())))
                .containsExactly(
                        "Path               acc  loss.train  loss.test  n",
                        "eval/metrics.json  0.9  0.4         0.7        120");
        assertThat(MetricsReport.showJson("workspace", MetricsReport.collect(newer, List.of()))
                        .toString())
                .isEqualTo("{\"workspace\":{\"data\":{\"eval/metrics.json\":{\"data\":"
                        + "{\"acc\":0.9,\"loss\":{\"train\":0.4,\"test\":0.7},\"n\":120}}}}}");

        var params = Comparison.diff(ParamsReport.collect(older), ParamsReport.collect(newer), false);
        assertThat(Comparison.toJson(params, false).toString())
                .isEqualTo("{\"params.yaml\":{\"train.lr\":{\"old\":0.01,\"new\":0.001}}}");
        assertThat(Comparison.toTable(params, "Param", "HEAD~1", "HEAD", false))
                .containsExactly("Path         Param     HEAD~1  HEAD", "params.yaml  train.lr  0.01    0.001");
    }
}
