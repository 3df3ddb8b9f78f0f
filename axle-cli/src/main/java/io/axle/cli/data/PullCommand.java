package io.axle.cli.data;

import io.axle.data.hash.Progress;
import io.axle.data.remote.SyncReport;
import io.axle.data.workspace.CheckoutReport;
import io.axle.data.workspace.Workspace;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code axle data pull}: fetch, then checkout. */
@Command(
        name = "pull",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = DataCommand.BAD_ARGUMENTS,
        description = "Fetch the outputs' objects from a remote, then check them out into the workspace.")
final class PullCommand implements Runnable {
    @ParentCommand
    private DataCommand data;

    @Option(
            names = {"-r", "--remote"},
            paramLabel = "NAME",
            description = "The remote (default: core.remote).")
    private Optional<String> remote = Optional.empty();

    @Option(
            names = {"-j", "--jobs"},
            paramLabel = "N",
            description = "Transfers at once (default: the remote's jobs, else 4 per core).")
    private Optional<Integer> jobs = Optional.empty();

    @Option(
            names = {"-f", "--force"},
            description = "Overwrite workspace files whose changes are not saved in the cache.")
    private boolean force;

    @Parameters(arity = "0..*", paramLabel = "TARGET", description = "Outputs or .dvc files (default: all).")
    private List<String> targets = List.of();

    @Override
    public void run() {
        SyncReport fetched = Sync.run(data, remote, jobs, "Fetching", sync -> sync.fetch(Sync.targets(data, targets)));
        Progress progress = ConsoleProgress.forConsole();
        CheckoutReport report;
        try (Workspace workspace = new Workspace(data.repo(), progress)) {
            report = workspace.checkout(Sync.targets(data, targets), force);
        } finally {
            ConsoleProgress.finish(progress);
        }
        report.added().forEach(path -> data.out().println("A       " + path));
        report.modified().forEach(path -> data.out().println("M       " + path));
        report.deleted().forEach(path -> data.out().println("D       " + path));
        if (fetched.transferred() > 0) {
            data.out().println(fetched.transferred() + (fetched.transferred() == 1 ? " file " : " files ") + "fetched");
        } else if (report.added().isEmpty()
                && report.modified().isEmpty()
                && report.deleted().isEmpty()) {
            data.out().println("Everything is up to date.");
        }
    }
}
