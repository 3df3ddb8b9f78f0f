package io.axle.data.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Files of the repository at one point: the workspace, or a Git revision. Paths are repository-relative with '/'. */
public interface FileSource {
    /** The bytes of {@code path}, empty if it is not there. */
    Optional<byte[]> read(String path);

    /** The name DVC shows for it: {@code workspace}, or the revision as given. */
    String name();

    static FileSource workspace(Path root) {
        return new FileSource() {
            @Override
            public Optional<byte[]> read(String path) {
                Path file = root.resolve(path);
                try {
                    return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public String name() {
                return "workspace";
            }
        };
    }
}
