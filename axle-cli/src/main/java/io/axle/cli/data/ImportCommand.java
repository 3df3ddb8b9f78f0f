package io.axle.cli.data;

import io.axle.data.hash.Progress;
import io.axle.data.remote.Imports;
import io.axle.data.workspace.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    private SourceRepoOptions source;

    @Override
    public void run() {
        try (Workspace workspace = new Workspace(data.repo(), Progress.NONE)) {
            Imports.Imported imported = source.imports(data)
                    .importData(workspace, source.url, source.path, source.rev, source.target(data));
            data.out()
                    .println("\nTo track the changes with git, run:\n\n\tgit add "
                            + workspace.repo().relative(imported.dvcFile()) + " "
                            + workspace.repo().relative(imported.output().resolveSibling(".gitignore")));
        }
    }
}
