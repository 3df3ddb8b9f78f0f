package io.axle.data.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.axle.data.hash.Md5;
import io.axle.data.hash.Progress;
import io.axle.data.workspace.Workspace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * push and pull killed with SIGKILL at random moments: neither the remote nor the cache ever holds an object whose bytes
 * do not match its name, no workspace file is half written, and running the command again completes the job.
 */
class RemoteKillNineTest {
    private static final int FILES = 24;
    private static final int FILE_SIZE = 1 << 20;

    @TempDir
    Path directory;

    private GitRepo repoWithData(Map<String, String> md5s) {
        GitRepo repo = GitRepo.create(directory.resolve("repo"));
        Random random = new Random(42);
        for (int i = 0; i < FILES; i++) {
            byte[] content = new byte[FILE_SIZE];
            random.nextBytes(content);
            try {
                Path file = repo.root.resolve("data/part-" + i);
                Files.createDirectories(file.getParent());
                Files.write(file, content);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            md5s.put("part-" + i, Md5.ofBytes(content));
        }
        repo.add("data");
        repo.remote("storage", directory.resolve("store").toString(), Map.of(), true);
        return repo;
    }

    @Test
    void aPushKilledAtAnyMomentLeavesNoCorruptObjectOnTheRemote() throws Exception {
        GitRepo repo = repoWithData(new HashMap<>());
        Random random = new Random(7);
        int interrupted = 0;
        for (int round = 0; round < 4; round++) {
            GitRepo.deleteTree(directory.resolve("store"));
            interrupted += runAndKill("push", 50 + random.nextInt(300)) ? 1 : 0;
            assertThat(corruptObjects(directory.resolve("store/files/md5"))).isEmpty();
        }
        assertThat(interrupted).as("rounds killed before the end").isPositive();
        try (Workspace workspace = repo.workspace();
                Remote remote = repo.openRemote()) {
            DataSync sync = new DataSync(workspace, remote, 4, Progress.NONE);
            sync.push(List.of());
            assertThat(sync.status(List.of()).isClean()).isTrue();
        }
        assertThat(corruptObjects(directory.resolve("store/files/md5"))).isEmpty();
    }

    @Test
    void aPullKilledAtAnyMomentLeavesNoCorruptObjectAndNoHalfWrittenFile() throws Exception {
        Map<String, String> md5s = new HashMap<>();
        GitRepo repo = repoWithData(md5s);
        try (Workspace workspace = repo.workspace();
                Remote remote = repo.openRemote()) {
            new DataSync(workspace, remote, 4, Progress.NONE).push(List.of());
        }
        Random random = new Random(11);
        int interrupted = 0;
        for (int round = 0; round < 4; round++) {
            GitRepo.deleteTree(repo.root.resolve(".dvc/cache"));
            GitRepo.deleteTree(repo.root.resolve("data"));
            interrupted += runAndKill("pull", 50 + random.nextInt(300)) ? 1 : 0;

            assertThat(corruptObjects(repo.root.resolve(".dvc/cache/files/md5")))
                    .isEmpty();
            if (Files.isDirectory(repo.root.resolve("data"))) {
                try (Stream<Path> files = Files.list(repo.root.resolve("data"))) {
                    for (Path file : files.toList()) {
                        String name = file.getFileName().toString();
                        if (!name.endsWith(".tmp")) {
                            assertThat(Md5.ofFile(file)).as(name).isEqualTo(md5s.get(name));
                        }
                    }
                }
            }
        }
        assertThat(interrupted).as("rounds killed before the end").isPositive();
        try (Workspace workspace = repo.workspace();
                Remote remote = repo.openRemote()) {
            new DataSync(workspace, remote, 4, Progress.NONE).fetch(List.of());
            workspace.checkout(List.of(), true);
            assertThat(workspace.status(List.of()).isClean()).isTrue();
        }
    }

    /** Every object under {@code objects} whose bytes do not hash to its name; {@code .tmp} files are not objects. */
    private static List<Path> corruptObjects(Path objects) throws IOException {
        List<Path> corrupt = new ArrayList<>();
        if (!Files.isDirectory(objects)) {
            return corrupt;
        }
        try (Stream<Path> files = Files.walk(objects)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getParent().getFileName().toString() + file.getFileName();
                if (name.endsWith(".tmp")) {
                    continue;
                }
                String md5 = Md5.ofFile(file);
                if (!name.equals(md5) && !name.equals(md5 + ".dir")) {
                    corrupt.add(file);
                }
            }
        }
        return corrupt;
    }

    /** Runs the command in a child JVM and kills it after {@code delayMillis}; true if it was killed before its end. */
    private boolean runAndKill(String command, long delayMillis) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        RemoteKillTarget.class.getName(),
                        command,
                        directory.resolve("repo").toString())
                .redirectErrorStream(true)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertThat(first).isEqualTo("started");
        Thread.sleep(delayMillis);
        boolean killed = child.isAlive();
        child.destroyForcibly().waitFor();
        return killed;
    }
}
