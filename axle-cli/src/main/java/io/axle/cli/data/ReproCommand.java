package io.axle.cli.data;

import io.axle.data.hash.Progress;
import io.axle.data.pipeline.Pipeline;
import io.axle.data.workspace.Workspace;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code axle data repro}: runs the changed stages of {@code dvc.yaml} and records them in {@code dvc.lock}. */
@Command(
        name = "repro",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = DataCommand.BAD_ARGUMENTS,
        description = "Run the stages of dvc.yaml whose command, deps, params or outs changed, upstream first.")
final class ReproCommand implements Callable<Integer> {
    @ParentCommand
    private DataCommand data;

    @Parameters(arity = "0..*", paramLabel = "STAGE", description = "Stages to reproduce, with what they depend on.")
    private List<String> targets = List.of();

    @Option(
            names = {"-f", "--force"},
            description = "Run every selected stage even if nothing changed.")
    private boolean force;

    @Option(names = "--dry", description = "Print the commands that would run, run nothing.")
    private boolean dry;

    @Override
    public Integer call() {
        try (Workspace workspace = new Workspace(data.repo(), Progress.NONE)) {
            new Pipeline(workspace, data.out()).repro(targets, force, dry);
        }
        return 0;
    }
}
