package io.axle.cli.data;

import io.axle.data.hash.Progress;
import io.axle.data.remote.DataSync;
import io.axle.data.remote.Imports;
import io.axle.data.workspace.Workspace;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code axle data import}. */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = DataCommand.BAD_ARGUMENTS,
        description = "Download data tracked in another Git repository and track it with a frozen .dvc file.")
final class ImportCommand implements Runnable {
    @ParentCommand
    private DataCommand data;

    @Parameters(index = "0", paramLabel = "URL", description = "The Git repository (a URL or a local path).")
    private String url;

    @Parameters(index = "1", paramLabel = "PATH", description = "The output's path in that repository.")
    private String path;

    @Option(names = "--rev", paramLabel = "REV", description = "A branch, tag or commit (default: its default branch).")
    private Optional<String> rev = Optional.empty();

    @Option(
            names = {"-o", "--out"},
            paramLabel = "OUT",
            description = "Where to write it (default: the path's last name, here).")
    private Optional<String> out = Optional.empty();

    @Option(
            names = {"-j", "--jobs"},
            paramLabel = "N",
            description = "Transfers at once (default: 4 per core).")
    private Optional<Integer> jobs = Optional.empty();

    @Override
    public void run() {
        Path target = data.resolve(out.orElse(Path.of(path).getFileName().toString()));
        Imports.Imported imported;
        try (Workspace workspace = new Workspace(data.repo(), Progress.NONE)) {
            imported = new Imports(data.directory(), System.getenv(), jobs.orElse(DataSync.defaultJobs()))
                    .importData(workspace, url, path, rev, target);
            data.out()
                    .println("\nTo track the changes with git, run:\n\n\tgit add "
                            + workspace.repo().relative(imported.dvcFile()) + " "
                            + workspace.repo().relative(imported.output().resolveSibling(".gitignore")));
        }
    }
}
