package io.axle.cli.data;

import io.axle.data.remote.SyncReport;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code axle data fetch}. */
@Command(
        name = "fetch",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = DataCommand.BAD_ARGUMENTS,
        description =
                "Download the objects of the outputs from a remote into the cache (each checked against its md5).")
final class FetchCommand implements Runnable {
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

    @Parameters(arity = "0..*", paramLabel = "TARGET", description = "Outputs or .dvc files (default: all).")
    private List<String> targets = List.of();

    @Override
    public void run() {
        SyncReport report = Sync.run(data, remote, jobs, "Fetching", sync -> sync.fetch(Sync.targets(data, targets)));
        Reports.print(data, report, "fetched");
    }
}
