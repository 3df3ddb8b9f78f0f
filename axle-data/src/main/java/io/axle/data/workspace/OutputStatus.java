package io.axle.data.workspace;

import static java.util.Objects.requireNonNull;

/** One changed output: its {@code .dvc} file and path as DVC prints them (relative to the repository root). */
public record OutputStatus(String dvcFile, String path, OutputState state) {
    public OutputStatus {
        requireNonNull(dvcFile, "dvcFile is null");
        requireNonNull(path, "path is null");
        requireNonNull(state, "state is null");
    }
}
