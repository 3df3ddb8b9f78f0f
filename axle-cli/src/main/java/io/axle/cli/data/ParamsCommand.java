package io.axle.cli.data;

import io.axle.data.history.GitTree;
import io.axle.data.pipeline.Comparison;
import io.axle.data.pipeline.ParamsReport;
import io.axle.data.repo.DvcRepo;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code axle data params diff}: params.yaml and the params stages use, between two commits. */
@Command(
        name = "params",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = DataCommand.BAD_ARGUMENTS,
        description = "Compare parameters (params.yaml and the params files named in dvc.yaml).",
        subcommands = {ParamsCommand.Diff.class})
final class ParamsCommand implements Runnable {
    @ParentCommand
    private DataCommand data;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "diff",
            mixinStandardHelpOptions = true,
            exitCodeOnInvalidInput = DataCommand.BAD_ARGUMENTS,
            description = "Compare params between two commits, or a commit and the workspace.")
    static final class Diff implements Callable<Integer> {
        @ParentCommand
        private ParamsCommand params;

        @Parameters(index = "0", arity = "0..1", paramLabel = "A_REV", description = "Old commit (default: HEAD).")
        private String oldRevision = "HEAD";

        @Parameters(index = "1", arity = "0..1", paramLabel = "B_REV", description = "New commit (default: workspace).")
        private String newRevision;

        @Option(names = "--all", description = "Show unchanged params too.")
        private boolean all;

        @Option(names = "--json", description = "Print JSON as 'dvc params diff --json' does.")
        private boolean json;

        @Override
        public Integer call() throws Exception {
            DataCommand data = params.data;
            DvcRepo repo = data.repo();
            GitTree older = GitTree.at(repo.root(), oldRevision);
            GitTree newer = newRevision == null ? GitTree.workspace(repo.root()) : GitTree.at(repo.root(), newRevision);
            var diff = Comparison.diff(ParamsReport.collect(older), ParamsReport.collect(newer), all);
            if (json) {
                data.out().println(DvcJson.write(Comparison.toJson(diff, false)));
            } else if (!diff.isEmpty()) {
                Comparison.toTable(diff, "Param", older.name(), newer.name(), false)
                        .forEach(data.out()::println);
            }
            return 0;
        }
    }
}
