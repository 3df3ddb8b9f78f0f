package io.axle.data.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import io.axle.data.hash.Md5;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code add} and {@code checkout} killed with SIGKILL at random moments: the cache never holds an object whose bytes
 * do not match its name, and no workspace file is ever half written.
 */
class KillNineTest {
    private static final int FILES = 24;
    private static final int FILE_SIZE = 1 << 20;

    @TempDir
    Path directory;

    private Map<String, String> writeData(TestRepo repo) {
        Random random = new Random(42);
        Map<String, String> md5s = new HashMap<>();
        for (int i = 0; i < FILES; i++) {
            byte[] content = new byte[FILE_SIZE];
            random.nextBytes(content);
            repo.write("data/part-" + i, content);
            md5s.put("part-" + i, Md5.ofBytes(content));
        }
        return md5s;
    }

    @Test
    void anAddKilledAtAnyMomentLeavesNoCorruptObject() throws Exception {
        TestRepo repo = TestRepo.create(directory);
        Map<String, String> md5s = writeData(repo);
        Random random = new Random(7);

        int interrupted = 0;
        for (int round = 0; round < 5; round++) {
            interrupted += runAndKill("add", 10 + random.nextInt(120)) ? 1 : 0;

            assertThat(repo.corruptObjects()).isEmpty();
            if (Files.exists(directory.resolve("data.dvc"))) {
                assertThat(repo.read("data.dvc")).contains("nfiles: " + FILES, "path: data\n");
            }
            for (Map.Entry<String, String> file : md5s.entrySet()) {
                assertThat(Md5.ofFile(directory.resolve("data").resolve(file.getKey())))
                        .isEqualTo(file.getValue());
            }
        }
        assertThat(interrupted).as("rounds killed before the end").isPositive();
        repo.add("data");
        try (Workspace workspace = repo.workspace()) {
            assertThat(workspace.status(List.of()).isClean()).isTrue();
        }
    }

    @Test
    void aCheckoutKilledAtAnyMomentLeavesNoHalfWrittenFile() throws Exception {
        TestRepo repo = TestRepo.create(directory);
        Map<String, String> md5s = writeData(repo);
        repo.add("data");
        Random random = new Random(11);

        int interrupted = 0;
        for (int round = 0; round < 5; round++) {
            WorkspaceTest.deleteTree(directory.resolve("data"));
            interrupted += runAndKill("checkout", 10 + random.nextInt(120)) ? 1 : 0;

            assertThat(repo.corruptObjects()).isEmpty();
            if (Files.isDirectory(directory.resolve("data"))) {
                try (Stream<Path> files = Files.list(directory.resolve("data"))) {
                    for (Path file : files.toList()) {
                        String name = file.getFileName().toString();
                        if (name.endsWith(".tmp")) {
                            continue;
                        }
                        assertThat(Md5.ofFile(file)).as(name).isEqualTo(md5s.get(name));
                    }
                }
            }
        }
        assertThat(interrupted).as("rounds killed before the end").isPositive();
        try (Workspace workspace = repo.workspace()) {
            workspace.checkout(List.of(), false);
            assertThat(workspace.status(List.of()).isClean()).isTrue();
        }
    }

    /** Runs the command in a child JVM and kills it after {@code delayMillis}; true if it was killed before its end. */
    private boolean runAndKill(String command, long delayMillis) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        KillTarget.class.getName(),
                        command,
                        directory.toString())
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
