package io.axle.cli.data;

import io.axle.data.hash.Progress;
import io.axle.data.remote.GarbageCollector;
import io.axle.data.remote.GcReport;
import io.axle.data.remote.GcScope;
import io.axle.data.remote.Remote;
import io.axle.data.repo.DataException;
import io.axle.data.workspace.Workspace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code axle data gc}. */
@Command(
        name = "gc",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = DataCommand.BAD_ARGUMENTS,
        description = "Remove cache objects (and with -c, remote objects) that no .dvc or dvc.lock file in scope uses.")
final class GcCommand implements Runnable {
    @ParentCommand
    private DataCommand data;

    @Option(
            names = {"-w", "--workspace"},
            description = "Keep only what the workspace uses.")
    private boolean workspace;

    @Option(
            names = {"-a", "--all-branches"},
            description = "Keep what the head of every branch uses too.")
    private boolean allBranches;

    @Option(
            names = {"-T", "--all-tags"},
            description = "Keep what every tag uses too.")
    private boolean allTags;

    @Option(
            names = {"-c", "--cloud"},
            description = "Remove unused objects from the remote as well.")
    private boolean cloud;

    @Option(
            names = {"-r", "--remote"},
            paramLabel = "NAME",
            description = "The remote for --cloud (default: core.remote).")
    private Optional<String> remote = Optional.empty();

    @Option(
            names = {"-j", "--jobs"},
            paramLabel = "N",
            description = "Remote deletions at once (default: the remote's jobs, else 4 per core).")
    private Optional<Integer> jobs = Optional.empty();

    @Option(
            names = {"-f", "--force"},
            description = "Do not ask for confirmation.")
    private boolean force;

    @Override
    public void run() {
        GcScope scope = new GcScope(workspace, allBranches, allTags);
        GarbageCollector.requireScope(scope);
        String warning = "WARNING: " + scope.describe();
        if (cloud) {
            warning += "\nWARNING: Since '-c/--cloud' is specified, this will also remove the same objects from the"
                    + " remote.";
        }
        data.err().println(warning);
        if (!force && !confirmed()) {
            throw DataException.failed("Aborting garbage collection: not confirmed (use -f to skip the question).");
        }
        GcReport report;
        try (Workspace opened = new Workspace(data.repo(), Progress.NONE)) {
            if (cloud) {
                try (Remote opening = Remote.open(opened.repo(), remote, System.getenv())) {
                    report =
                            new GarbageCollector(opened).collect(scope, Optional.of(opening), Sync.jobs(jobs, opening));
                }
            } else {
                report = new GarbageCollector(opened).collect(scope, Optional.empty(), 1);
            }
        }
        data.out()
                .println("Removed " + report.removedFromCache() + " objects from the cache"
                        + (cloud ? " and " + report.removedFromRemote() + " from the remote" : "") + ".");
    }

    private boolean confirmed() {
        data.err().print("Are you sure you want to proceed? [y/n] ");
        data.err().flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return answer != null
                    && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
        } catch (IOException e) {
            return false;
        }
    }
}
