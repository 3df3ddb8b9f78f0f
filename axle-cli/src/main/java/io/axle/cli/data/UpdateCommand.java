package io.axle.cli.data;

import io.axle.data.hash.Progress;
import io.axle.data.remote.DataSync;
import io.axle.data.remote.Imports;
import io.axle.data.workspace.Workspace;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code axle data update}. */
@Command(
        name = "update",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = DataCommand.BAD_ARGUMENTS,
        description = "Resolve an import's revision again and refresh its data and .dvc file.")
final class UpdateCommand implements Runnable {
    @ParentCommand
    private DataCommand data;

    @Parameters(arity = "1..*", paramLabel = "TARGET", description = "Import .dvc files.")
    private List<String> targets = List.of();

    @Option(names = "--rev", paramLabel = "REV", description = "Move the import to this branch, tag or commit.")
    private Optional<String> rev = Optional.empty();

    @Option(
            names = {"-j", "--jobs"},
            paramLabel = "N",
            description = "Transfers at once (default: 4 per core).")
    private Optional<Integer> jobs = Optional.empty();

    @Override
    public void run() {
        try (Workspace workspace = new Workspace(data.repo(), Progress.NONE)) {
            Imports imports = new Imports(data.directory(), System.getenv(), jobs.orElse(DataSync.defaultJobs()));
            for (String target : targets) {
                Imports.Imported updated = imports.update(workspace, dvcFile(target), rev);
                String shown = workspace.repo().relative(updated.dvcFile());
                data.out()
                        .println((updated.changed() ? "Updated '" : "'") + shown + "'"
                                + (updated.changed() ? "" : " didn't change."));
            }
        }
    }

    /** A target is the import's .dvc file or its output, as DVC takes either. */
    private java.nio.file.Path dvcFile(String target) {
        java.nio.file.Path path = data.resolve(target);
        return path.getFileName().toString().endsWith(io.axle.data.dvcfile.DvcFile.SUFFIX)
                ? path
                : io.axle.data.dvcfile.DvcFile.pathFor(path);
    }
}
