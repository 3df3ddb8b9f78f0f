package io.axle.cli.data;

import io.axle.data.history.GitTree;
import io.axle.data.pipeline.Comparison;
import io.axle.data.pipeline.MetricsReport;
import io.axle.data.repo.DvcRepo;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code axle data metrics show|diff}: the metrics files named in {@code dvc.yaml}. */
@Command(
        name = "metrics",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = DataCommand.BAD_ARGUMENTS,
        description = "Show and compare metrics (JSON or YAML files named under metrics: in dvc.yaml).",
        subcommands = {MetricsCommand.Show.class, MetricsCommand.Diff.class})
final class MetricsCommand implements Runnable {
    @ParentCommand
    private DataCommand data;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            exitCodeOnInvalidInput = DataCommand.BAD_ARGUMENTS,
            description = "Print the workspace's metrics.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        private MetricsCommand metrics;

        @Parameters(arity = "0..*", paramLabel = "TARGET", description = "Metrics files (default: all in dvc.yaml).")
        private List<String> targets = List.of();

        @Option(names = "--json", description = "Print JSON as 'dvc metrics show --json' does.")
        private boolean json;

        @Override
        public Integer call() throws Exception {
            DataCommand data = metrics.data;
            DvcRepo repo = data.repo();
            var found = MetricsReport.collect(
                    GitTree.workspace(repo.root()),
                    targets.stream()
                            .map(target -> repo.relative(data.resolve(target)))
                            .toList());
            if (json) {
                data.out().println(DvcJson.write(MetricsReport.showJson("workspace", found)));
            } else if (!found.isEmpty()) {
                MetricsReport.showTable(found).forEach(data.out()::println);
            }
            return 0;
        }
    }

    @Command(
            name = "diff",
            mixinStandardHelpOptions = true,
            exitCodeOnInvalidInput = DataCommand.BAD_ARGUMENTS,
            description = "Compare metrics between two commits, or a commit and the workspace.")
    static final class Diff implements Callable<Integer> {
        @ParentCommand
        private MetricsCommand metrics;

        @Parameters(index = "0", arity = "0..1", paramLabel = "A_REV", description = "Old commit (default: HEAD).")
        private String oldRevision = "HEAD";

        @Parameters(index = "1", arity = "0..1", paramLabel = "B_REV", description = "New commit (default: workspace).")
        private String newRevision;

        @Option(names = "--targets", arity = "1..*", paramLabel = "PATH", description = "Metrics files to compare.")
        private List<String> targets = List.of();

        @Option(names = "--all", description = "Show unchanged metrics too.")
        private boolean all;

        @Option(names = "--json", description = "Print JSON as 'dvc metrics diff --json' does.")
        private boolean json;

        @Override
        public Integer call() throws Exception {
            DataCommand data = metrics.data;
            DvcRepo repo = data.repo();
            List<String> files = targets.stream()
                    .map(target -> repo.relative(data.resolve(target)))
                    .toList();
            GitTree older = GitTree.at(repo.root(), oldRevision);
            GitTree newer = newRevision == null ? GitTree.workspace(repo.root()) : GitTree.at(repo.root(), newRevision);
            var diff = Comparison.diff(
                    MetricsReport.flatten(MetricsReport.collect(older, files)),
                    MetricsReport.flatten(MetricsReport.collect(newer, files)),
                    all);
            if (json) {
                data.out().println(DvcJson.write(Comparison.toJson(diff, true)));
            } else if (!diff.isEmpty()) {
                Comparison.toTable(diff, "Metric", older.name(), newer.name(), true)
                        .forEach(data.out()::println);
            }
            return 0;
        }
    }
}
