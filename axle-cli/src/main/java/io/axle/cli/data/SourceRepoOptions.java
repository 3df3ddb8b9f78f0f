package io.axle.cli.data;

import io.axle.data.remote.DataSync;
import io.axle.data.remote.Imports;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What {@code get} and {@code import} both take: another repository's output, where to put it, how many jobs. */
final class SourceRepoOptions {
    @Parameters(index = "0", paramLabel = "URL", description = "The Git repository (a URL or a local path).")
    String url;

    @Parameters(index = "1", paramLabel = "PATH", description = "The output's path in that repository.")
    String path;

    @Option(names = "--rev", paramLabel = "REV", description = "A branch, tag or commit (default: its default branch).")
    Optional<String> rev = Optional.empty();

    @Option(
            names = {"-o", "--out"},
            paramLabel = "OUT",
            description = "Where to write it (default: the path's last name, here).")
    Optional<String> out = Optional.empty();

    @Option(
            names = {"-j", "--jobs"},
            paramLabel = "N",
            description = "Transfers at once (default: 4 per core).")
    Optional<Integer> jobs = Optional.empty();

    Path target(DataCommand data) {
        return data.resolve(out.orElse(Path.of(path).getFileName().toString()));
    }

    Imports imports(DataCommand data) {
        return new Imports(data.directory(), System.getenv(), jobs.orElse(DataSync.defaultJobs()));
    }
}
