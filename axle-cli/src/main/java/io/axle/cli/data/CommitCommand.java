package io.axle.cli.data;

import io.axle.data.hash.Progress;
import io.axle.data.workspace.Workspace;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code axle data commit}. */
@Command(
        name = "commit",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = DataCommand.BAD_ARGUMENTS,
        description = "Record the outputs' current content in their .dvc files and save it to the cache.")
final class CommitCommand implements Runnable {
    @ParentCommand
    private DataCommand data;

    @Option(
            names = {"-f", "--force"},
            description = "Accepted for DVC compatibility; .dvc files are committed without asking.")
    private boolean force;

    @Parameters(arity = "0..*", paramLabel = "TARGET", description = "Outputs or .dvc files (default: all).")
    private List<String> targets = List.of();

    @Override
    public void run() {
        Progress progress = ConsoleProgress.forConsole();
        try (Workspace workspace = new Workspace(data.repo(), progress)) {
            workspace.commit(targets.stream().map(data::resolve).toList());
        } finally {
            ConsoleProgress.finish(progress);
        }
    }
}
