package io.axle.data.workspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The few questions {@code add} asks Git, through the {@code git} command. No Git, no answers: nothing is refused. */
final class GitCli {
    private final Path root;

    GitCli(Path root) {
        this.root = root;
    }

    boolean present() {
        return Files.exists(root.resolve(".git"));
    }

    /** Whether Git already tracks {@code path} (DVC refuses to add such a file). */
    boolean tracks(Path path) {
        if (!present()) {
            return false;
        }
        try {
            Process process = new ProcessBuilder(List.of(
                            "git",
                            "ls-files",
                            "--error-unmatch",
                            "--",
                            root.relativize(path).toString()))
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
