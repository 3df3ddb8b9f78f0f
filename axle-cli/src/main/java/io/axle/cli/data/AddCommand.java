package io.axle.cli.data;

import io.axle.data.hash.Progress;
import io.axle.data.workspace.Workspace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code axle data add}. */
@Command(
        name = "add",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = DataCommand.BAD_ARGUMENTS,
        description = "Track files or directories: hash them, save them to the cache, write <path>.dvc.")
final class AddCommand implements Runnable {
    @ParentCommand
    private DataCommand data;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or directories to track.")
    private List<String> targets;

    @Override
    public void run() {
        Progress progress = ConsoleProgress.forConsole();
        List<Path> written;
        Workspace workspace = new Workspace(data.repo(), progress);
        try (workspace) {
            written = workspace.add(targets.stream().map(data::resolve).toList());
        } finally {
            ConsoleProgress.finish(progress);
        }
        List<String> toStage = new ArrayList<>();
        for (Path dvcFile : written) {
            toStage.add(quote(workspace.repo().relative(dvcFile)));
            Path gitignore = dvcFile.resolveSibling(".gitignore");
            String shown = quote(workspace.repo().relative(gitignore));
            if (java.nio.file.Files.exists(gitignore) && !toStage.contains(shown)) {
                toStage.add(shown);
            }
        }
        data.out().println();
        data.out().println("To track the changes with git, run:");
        data.out().println();
        data.out().println("\tgit add " + String.join(" ", toStage));
    }

    private static String quote(String path) {
        return path.matches("[A-Za-z0-9._/@+-]+") ? path : "'" + path.replace("'", "'\\''") + "'";
    }
}
