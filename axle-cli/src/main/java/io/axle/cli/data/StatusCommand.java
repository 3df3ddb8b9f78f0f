package io.axle.cli.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.data.hash.Progress;
import io.axle.data.remote.CloudStatus;
import io.axle.data.workspace.StatusReport;
import io.axle.data.workspace.Workspace;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code axle data status}: the workspace against the cache, or with {@code -c} the cache against a remote. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = DataCommand.BAD_ARGUMENTS,
        description = "Show outputs that differ from their .dvc files or are missing from the cache.")
final class StatusCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    private DataCommand data;

    @Option(names = "--json", description = "Print the status as JSON, as 'dvc status --json' does.")
    private boolean json;

    @Option(
            names = {"-q", "--quiet"},
            description = "Print nothing; exit 1 if anything changed, 0 if not.")
    private boolean quiet;

    @Parameters(arity = "0..*", paramLabel = "TARGET", description = "Outputs or .dvc files (default: all).")
    private List<String> targets = List.of();

    @Option(
            names = {"-c", "--cloud"},
            description = "Compare the cache with a remote: new (only in the cache), deleted (only on the remote),"
                    + " missing (in neither).")
    private boolean cloud;

    @Option(
            names = {"-r", "--remote"},
            paramLabel = "NAME",
            description = "The remote for --cloud (default: core.remote); implies --cloud.")
    private Optional<String> remote = Optional.empty();

    @Option(
            names = {"-j", "--jobs"},
            paramLabel = "N",
            description = "Checks at once for --cloud (default: the remote's jobs, else 4 per core).")
    private Optional<Integer> jobs = Optional.empty();

    @Override
    public Integer call() throws Exception {
        if (cloud || remote.isPresent()) {
            return cloudStatus();
        }
        Progress progress = ConsoleProgress.forConsole();
        StatusReport report;
        try (Workspace workspace = new Workspace(data.repo(), progress)) {
            report = workspace.status(targets.stream().map(data::resolve).toList());
        } finally {
            ConsoleProgress.finish(progress);
        }
        if (quiet) {
            return report.isClean() ? 0 : 1;
        }
        if (json) {
            data.out().println(JSON.writeValueAsString(report.toDvcJson()));
        } else {
            report.toLines().forEach(data.out()::println);
        }
        return 0;
    }

    private int cloudStatus() throws Exception {
        CloudStatus status = Sync.run(data, remote, jobs, "Checking", sync -> sync.status(Sync.targets(data, targets)));
        if (quiet) {
            return status.isClean() ? 0 : 1;
        }
        if (json) {
            data.out().println(JSON.writeValueAsString(status.toDvcJson()));
        } else {
            status.toLines().forEach(data.out()::println);
        }
        return 0;
    }
}
