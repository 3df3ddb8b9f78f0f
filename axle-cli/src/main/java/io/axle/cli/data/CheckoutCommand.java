package io.axle.cli.data;

import io.axle.data.hash.Progress;
import io.axle.data.workspace.CheckoutReport;
import io.axle.data.workspace.Workspace;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code axle data checkout}. */
@Command(
        name = "checkout",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = DataCommand.BAD_ARGUMENTS,
        description = "Put the content the .dvc files record into the workspace, from the cache.")
final class CheckoutCommand implements Runnable {
    @ParentCommand
    private DataCommand data;

    @Option(
            names = {"-f", "--force"},
            description = "Overwrite files whose changes are not saved in the cache.")
    private boolean force;

    @Parameters(arity = "0..*", paramLabel = "TARGET", description = "Outputs or .dvc files (default: all).")
    private List<String> targets = List.of();

    @Override
    public void run() {
        Progress progress = ConsoleProgress.forConsole();
        CheckoutReport report;
        try (Workspace workspace = new Workspace(data.repo(), progress)) {
            report = workspace.checkout(targets.stream().map(data::resolve).toList(), force);
        } finally {
            ConsoleProgress.finish(progress);
        }
        report.added().forEach(path -> data.out().println("A       " + path));
        report.modified().forEach(path -> data.out().println("M       " + path));
        report.deleted().forEach(path -> data.out().println("D       " + path));
    }
}
