package io.axle.data.repo;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The little DVC asks of Git, through the {@code git} command: is a file tracked, stage these files. Without Git (or a
 * {@code git} command) nothing is refused and nothing is staged.
 */
public final class GitCli {
    private final Path root;

    public GitCli(Path root) {
        this.root = requireNonNull(root, "root is null");
    }

    public boolean present() {
        return Files.exists(root.resolve(".git"));
    }

    /** Whether Git already tracks {@code path} (DVC refuses to add such a file). */
    public boolean tracks(Path path) {
        return present() && run(List.of("ls-files", "--error-unmatch", "--", relative(path)));
    }

    /** Stages {@code paths}, as {@code dvc init} stages its files; true if Git took them. */
    public boolean add(List<Path> paths) {
        if (!present()) {
            return false;
        }
        List<String> arguments = new ArrayList<>(List.of("add", "--"));
        paths.forEach(path -> arguments.add(relative(path)));
        return run(arguments);
    }

    private String relative(Path path) {
        return root.toAbsolutePath().relativize(path.toAbsolutePath()).toString();
    }

    private boolean run(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(arguments);
        try {
            Process process = new ProcessBuilder(command)
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
