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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gc on a real Git repository: what it keeps for the workspace, for other branches, and on the remote. */
class GarbageCollectorTest {
    @TempDir
    Path directory;

    private static String md5(String content) {
        return Md5.ofBytes(content.getBytes(StandardCharsets.UTF_8));
    }

    private static GcReport gc(GitRepo repo, GcScope scope, boolean cloud) {
        try (Workspace workspace = repo.workspace()) {
            if (!cloud) {
                return new GarbageCollector(workspace).collect(scope, Optional.empty(), 2);
            }
            try (Remote remote = repo.openRemote()) {
                return new GarbageCollector(workspace).collect(scope, Optional.of(remote), 2);
            }
        }
    }

    private static boolean cached(GitRepo repo, String content) {
        return repo.repo().cache().contains(HashName.MD5, md5(content));
    }

    @Test
    void gcRefusesWithoutAScope() {
        GitRepo repo = GitRepo.create(directory.resolve("repo"));
        repo.write("data.txt", "v1");
        repo.add("data.txt");
        assertThatThrownBy(() -> gc(repo, new GcScope(false, false, false), false))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("Either of `-w|--workspace`, `-a|--all-branches`, `-T|--all-tags`")
                .satisfies(e -> assertThat(((DataException) e).exitCode()).isEqualTo(255));
        assertThat(cached(repo, "v1")).isTrue();
    }

    @Test
    void gcWorkspaceKeepsWhatTheWorkspaceUsesAndRemovesTheRest() {
        GitRepo repo = GitRepo.create(directory.resolve("repo"));
        repo.write("data.txt", "v1");
        repo.write("dir/a", "a");
        repo.add("data.txt", "dir");
        repo.write("data.txt", "v2");
        repo.add("data.txt");

        GcReport report = gc(repo, new GcScope(true, false, false), false);

        assertThat(report.removedFromCache()).isEqualTo(1);
        assertThat(cached(repo, "v1")).isFalse();
        assertThat(cached(repo, "v2")).isTrue();
        assertThat(cached(repo, "a")).isTrue();
        try (Workspace workspace = repo.workspace()) {
            assertThat(workspace.status(List.of()).isClean()).isTrue();
        }
    }

    @Test
    void gcAllBranchesKeepsObjectsAnotherBranchUses() {
        GitRepo repo = GitRepo.create(directory.resolve("repo"));
        repo.write("data.txt", "v1");
        repo.add("data.txt");
        repo.commitAll("v1");
        repo.git("checkout", "-q", "-b", "experiment");
        repo.write("data.txt", "experimental");
        repo.add("data.txt");
        repo.commitAll("experiment");
        repo.git("checkout", "-q", "main");
        repo.write("data.txt", "v3");
        repo.add("data.txt");

        gc(repo, new GcScope(false, true, false), false);
        assertThat(cached(repo, "v1")).isTrue();
        assertThat(cached(repo, "experimental")).isTrue();
        assertThat(cached(repo, "v3")).isTrue();

        gc(repo, new GcScope(true, false, false), false);
        assertThat(cached(repo, "v1")).isFalse();
        assertThat(cached(repo, "experimental")).isFalse();
        assertThat(cached(repo, "v3")).isTrue();
    }

    @Test
    void gcCloudRemovesUnusedObjectsFromTheRemoteToo() {
        GitRepo repo = GitRepo.create(directory.resolve("repo"));
        repo.remote("storage", directory.resolve("store").toString(), Map.of(), true);
        repo.write("data.txt", "v1");
        repo.add("data.txt");
        push(repo);
        repo.write("data.txt", "v2");
        repo.add("data.txt");
        push(repo);

        GcReport report = gc(repo, new GcScope(true, false, false), true);

        assertThat(report.removedFromRemote()).isEqualTo(1);
        String v1 = md5("v1");
        String v2 = md5("v2");
        assertThat(directory.resolve("store/files/md5/" + v1.substring(0, 2) + "/" + v1.substring(2)))
                .doesNotExist();
        assertThat(directory.resolve("store/files/md5/" + v2.substring(0, 2) + "/" + v2.substring(2)))
                .exists();
    }

    @Test
    void gcCloudListsAndCleansAnS3Remote() {
        io.axle.storage.testing.S3TestServer server = io.axle.storage.testing.S3TestServer.shared();
        String bucket = server.newBucket();
        GitRepo repo = GitRepo.create(directory.resolve("repo"));
        repo.remote(
                "s3",
                "s3://" + bucket + "/store",
                Map.of(
                        "endpointurl", server.endpoint().toString(),
                        "access_key_id", io.axle.storage.testing.S3TestServer.ACCESS_KEY,
                        "secret_access_key", io.axle.storage.testing.S3TestServer.SECRET_KEY),
                true);
        repo.write("data.txt", "v1");
        repo.add("data.txt");
        push(repo);
        repo.write("data.txt", "v2");
        repo.add("data.txt");
        push(repo);

        assertThat(gc(repo, new GcScope(true, false, false), true).removedFromRemote())
                .isEqualTo(1);
        List<String> keys =
                server.client().listObjectsV2(request -> request.bucket(bucket).prefix("store/")).contents().stream()
                        .map(object -> object.key())
                        .toList();
        String v2 = md5("v2");
        assertThat(keys).containsExactly("store/files/md5/" + v2.substring(0, 2) + "/" + v2.substring(2));
    }

    @Test
    void gcCloudReadsADirectorysManifestFromTheRemoteWhenTheCacheLacksIt() {
        GitRepo repo = GitRepo.create(directory.resolve("repo"));
        repo.remote("storage", directory.resolve("store").toString(), Map.of(), true);
        repo.write("dir/a", "a");
        repo.write("dir/b", "b");
        repo.add("dir");
        push(repo);
        GitRepo.deleteTree(repo.root.resolve(".dvc/cache"));

        GcReport report = gc(repo, new GcScope(true, false, false), true);

        assertThat(report.removedFromRemote()).isZero();
        String a = md5("a");
        assertThat(directory.resolve("store/files/md5/" + a.substring(0, 2) + "/" + a.substring(2)))
                .exists();
    }

    private static void push(GitRepo repo) {
        try (Workspace workspace = repo.workspace();
                Remote remote = repo.openRemote()) {
            new DataSync(workspace, remote, 2, Progress.NONE).push(List.of());
        }
    }
}
