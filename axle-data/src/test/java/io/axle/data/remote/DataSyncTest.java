package io.axle.data.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.data.hash.Md5;
import io.axle.data.hash.Progress;
import io.axle.data.repo.DataException;
import io.axle.data.workspace.Workspace;
import io.axle.storage.testing.S3TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** push, fetch, pull and status -c against a local directory and a real S3-compatible server. */
class DataSyncTest {
    private static final String FOO_MD5 = Md5.ofBytes("foo".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path directory;

    private GitRepo repoWithData() {
        GitRepo repo = GitRepo.create(directory.resolve("repo"));
        repo.write("data/foo", "foo");
        repo.write("data/sub/bar", "bar");
        repo.write("model.bin", "weights");
        repo.add("data", "model.bin");
        return repo;
    }

    private static SyncReport push(GitRepo repo) {
        try (Workspace workspace = repo.workspace();
                Remote remote = repo.openRemote();
                DataSync sync = new DataSync(workspace, remote, 4, Progress.NONE)) {
            return sync.push(List.of());
        }
    }

    private static SyncReport fetch(GitRepo repo) {
        try (Workspace workspace = repo.workspace();
                Remote remote = repo.openRemote();
                DataSync sync = new DataSync(workspace, remote, 4, Progress.NONE)) {
            return sync.fetch(List.of());
        }
    }

    private static CloudStatus status(GitRepo repo) {
        try (Workspace workspace = repo.workspace();
                Remote remote = repo.openRemote();
                DataSync sync = new DataSync(workspace, remote, 4, Progress.NONE)) {
            return sync.status(List.of());
        }
    }

    private static void emptyCacheAndWorkspace(GitRepo repo) {
        GitRepo.deleteTree(repo.root.resolve(".dvc/cache"));
        GitRepo.deleteTree(repo.root.resolve("data"));
        GitRepo.deleteTree(repo.root.resolve("model.bin"));
    }

    private static void pullAndCheck(GitRepo repo) {
        fetch(repo);
        try (Workspace workspace = repo.workspace()) {
            workspace.checkout(List.of(), false);
            assertThat(workspace.status(List.of()).isClean()).isTrue();
        }
        assertThat(repo.read("data/foo")).isEqualTo("foo");
        assertThat(repo.read("data/sub/bar")).isEqualTo("bar");
        assertThat(repo.read("model.bin")).isEqualTo("weights");
    }

    @Test
    void pushAndPullRoundTripThroughALocalRemoteInDvcsLayout() {
        GitRepo repo = repoWithData();
        // relative to .dvc/, as DVC reads a local remote's url
        repo.remote("storage", "../../store", Map.of(), true);

        CloudStatus before = status(repo);
        assertThat(before.toDvcJson())
                .containsEntry("data", "new")
                .containsEntry("data/foo", "new")
                .containsEntry("data/sub/bar", "new")
                .containsEntry("model.bin", "new");
        assertThat(before.toLines()).contains("\tnew:                model.bin");

        assertThat(push(repo).transferred()).isEqualTo(4);
        Path store = directory.resolve("store");
        assertThat(store.resolve("files/md5/" + FOO_MD5.substring(0, 2) + "/" + FOO_MD5.substring(2)))
                .hasContent("foo");
        assertThat(status(repo).toLines()).containsExactly("Cache and remote 'storage' are in sync.");
        assertThat(push(repo).transferred()).isZero();

        emptyCacheAndWorkspace(repo);
        assertThat(status(repo).toDvcJson()).containsEntry("data", "deleted").containsEntry("model.bin", "deleted");
        pullAndCheck(repo);
    }

    @Test
    void pushAndPullRoundTripThroughS3WithTheRemotesEndpoint() {
        S3TestServer server = S3TestServer.shared();
        String bucket = server.newBucket();
        GitRepo repo = repoWithData();
        repo.remote(
                "s3",
                "s3://" + bucket + "/dvc-store",
                Map.of(
                        "endpointurl", server.endpoint().toString(),
                        "access_key_id", S3TestServer.ACCESS_KEY,
                        "secret_access_key", S3TestServer.SECRET_KEY),
                true);

        assertThat(push(repo).transferred()).isEqualTo(4);
        assertThat(server.client()
                        .headObject(request -> request.bucket(bucket)
                                .key("dvc-store/files/md5/" + FOO_MD5.substring(0, 2) + "/" + FOO_MD5.substring(2)))
                        .contentLength())
                .isEqualTo(3);
        assertThat(status(repo).isClean()).isTrue();

        emptyCacheAndWorkspace(repo);
        pullAndCheck(repo);
    }

    @Test
    void anS3RemoteTakesItsKeysFromTheNamedProfile() throws Exception {
        S3TestServer server = S3TestServer.shared();
        String bucket = server.newBucket();
        Path credentials = directory.resolve("credentials");
        Files.writeString(
                credentials,
                "[default]\naws_access_key_id = wrong\naws_secret_access_key = wrong\n\n[axle]\naws_access_key_id = "
                        + S3TestServer.ACCESS_KEY + "\naws_secret_access_key = " + S3TestServer.SECRET_KEY + "\n");
        GitRepo repo = repoWithData();
        repo.remote(
                "s3",
                "s3://" + bucket + "/profiled",
                Map.of("endpointurl", server.endpoint().toString(), "profile", "axle", "region", "eu-west-1"),
                true);
        Map<String, String> environment = Map.of(
                "AWS_SHARED_CREDENTIALS_FILE",
                credentials.toString(),
                "MLFLOW_S3_ENDPOINT_URL",
                "http://elsewhere:9000");
        io.axle.storage.S3Config config =
                Remote.s3Config(repo.repo().config().remote("s3").orElseThrow(), environment);
        assertThat(config.credentials().orElseThrow().accessKeyId()).isEqualTo(S3TestServer.ACCESS_KEY);
        assertThat(config.endpoint()).contains(server.endpoint());
        assertThat(config.region()).contains("eu-west-1");
        try (Workspace workspace = repo.workspace();
                Remote remote = Remote.open(repo.repo(), java.util.Optional.empty(), environment)) {
            assertThat(new DataSync(workspace, remote, 4, Progress.NONE)
                            .push(List.of())
                            .transferred())
                    .isEqualTo(4);
        }
    }

    @Test
    void anOutputWithARemoteOfItsOwnGoesThere() throws Exception {
        GitRepo repo = repoWithData();
        repo.remote("storage", directory.resolve("store").toString(), Map.of(), true);
        repo.remote("models", directory.resolve("models-store").toString(), Map.of(), false);
        Files.writeString(
                repo.root.resolve("model.bin.dvc"),
                repo.read("model.bin.dvc").replace("  path: model.bin\n", "  path: model.bin\n  remote: models\n"));
        String model = Md5.ofBytes("weights".getBytes(StandardCharsets.UTF_8));
        String modelKey = "files/md5/" + model.substring(0, 2) + "/" + model.substring(2);

        assertThat(push(repo).transferred()).isEqualTo(4);
        assertThat(directory.resolve("models-store").resolve(modelKey)).hasContent("weights");
        assertThat(directory.resolve("store").resolve(modelKey)).doesNotExist();
        assertThat(status(repo).isClean()).isTrue();

        emptyCacheAndWorkspace(repo);
        pullAndCheck(repo);
    }

    @Test
    void manyObjectsAreCheckedByListingPrefixes() {
        GitRepo repo = GitRepo.create(directory.resolve("repo"));
        for (int i = 0; i < DataSync.LIST_THRESHOLD + 10; i++) {
            repo.write("many/file-" + i, "content " + i);
        }
        repo.add("many");
        repo.remote("storage", directory.resolve("store").toString(), Map.of(), true);
        assertThat(push(repo).transferred()).isEqualTo(DataSync.LIST_THRESHOLD + 11);
        assertThat(status(repo).isClean()).isTrue();
        GitRepo.deleteTree(repo.root.resolve(".dvc/cache"));
        assertThat(status(repo).changes()).containsOnlyKeys("many").containsValue("deleted");
    }

    @Test
    void aCorruptObjectOnTheRemoteIsRefusedAndTheCacheStaysClean() throws Exception {
        GitRepo repo = repoWithData();
        repo.remote("storage", directory.resolve("store").toString(), Map.of(), true);
        push(repo);
        Path object = directory.resolve("store/files/md5/" + FOO_MD5.substring(0, 2) + "/" + FOO_MD5.substring(2));
        Files.writeString(object, "evil");
        emptyCacheAndWorkspace(repo);

        assertThatThrownBy(() -> fetch(repo))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("1 files failed to download")
                .hasMessageContaining("data/foo");
        assertThat(repo.repo().cache().contains(io.axle.data.hash.HashName.MD5, FOO_MD5))
                .isFalse();
        try (var files = Files.walk(repo.root.resolve(".dvc/cache"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name =
                        file.getParent().getFileName() + file.getFileName().toString();
                assertThat(name.replace(".dir", "")).isEqualTo(Md5.ofFile(file));
            }
        }
    }

    @Test
    void objectsNeitherInTheCacheNorOnTheRemoteAreMissing() {
        GitRepo repo = repoWithData();
        repo.remote("storage", directory.resolve("store").toString(), Map.of(), true);
        GitRepo.deleteTree(repo.root.resolve(".dvc/cache"));
        assertThat(status(repo).toDvcJson()).containsEntry("model.bin", "missing");
        assertThat(push(repo).missing()).contains("model.bin (" + Md5.ofBytes("weights".getBytes()) + ")");
    }

    @Test
    void aDirectoryWithAFileMissingEverywhereDoesNotPushItsManifest() throws Exception {
        GitRepo repo = repoWithData();
        repo.remote("storage", directory.resolve("store").toString(), Map.of(), true);
        Path foo = repo.repo().cache().objectPath(FOO_MD5);
        foo.toFile().setWritable(true);
        Files.delete(foo);

        SyncReport report = push(repo);

        assertThat(report.missing()).containsExactly("data/foo (" + FOO_MD5 + ")");
        assertThat(status(repo).toDvcJson())
                .containsEntry("data", "new")
                .containsEntry("data/foo", "missing")
                .doesNotContainKey("data/sub/bar");
    }

    @Test
    void aLegacyObjectIsReadFromTheRemotesTopLevel() throws Exception {
        GitRepo repo = GitRepo.create(directory.resolve("repo"));
        String md5 = Md5.ofBytes("old\n".getBytes(StandardCharsets.UTF_8));
        repo.write("old.txt.dvc", "outs:\n- md5: " + md5 + "\n  size: 4\n  path: old.txt\n");
        Path legacy = directory.resolve("store/" + md5.substring(0, 2) + "/" + md5.substring(2));
        Files.createDirectories(legacy.getParent());
        Files.writeString(legacy, "old\n");
        repo.remote("storage", directory.resolve("store").toString(), Map.of(), true);

        assertThat(fetch(repo).transferred()).isEqualTo(1);
        try (Workspace workspace = repo.workspace()) {
            workspace.checkout(List.of(), false);
        }
        assertThat(repo.read("old.txt")).isEqualTo("old\n");
    }

    @Test
    void aCorruptLegacyObjectIsRefusedToo() throws Exception {
        GitRepo repo = GitRepo.create(directory.resolve("repo"));
        String md5 = Md5.ofBytes("old\n".getBytes(StandardCharsets.UTF_8));
        repo.write("old.txt.dvc", "outs:\n- md5: " + md5 + "\n  size: 4\n  path: old.txt\n");
        Path legacy = directory.resolve("store/" + md5.substring(0, 2) + "/" + md5.substring(2));
        Files.createDirectories(legacy.getParent());
        Files.writeString(legacy, "bad\n");
        repo.remote("storage", directory.resolve("store").toString(), Map.of(), true);

        assertThatThrownBy(() -> fetch(repo)).hasMessageContaining("1 files failed to download");
        assertThat(repo.repo().cache().contains(io.axle.data.hash.HashName.MD5_DOS2UNIX, md5))
                .isFalse();
    }

    @Test
    void noRemoteIsAConfigError() {
        GitRepo repo = repoWithData();
        assertThatThrownBy(repo::openRemote)
                .isInstanceOf(DataException.class)
                .satisfies(e -> assertThat(((DataException) e).exitCode()).isEqualTo(251));
    }
}
