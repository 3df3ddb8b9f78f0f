package io.axle.cli.data;

import io.axle.data.hash.Progress;
import io.axle.data.history.DataDiff;
import io.axle.data.history.GitTree;
import io.axle.data.workspace.Workspace;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code axle data diff}: DVC-tracked data changed between two commits, or a commit and the workspace. */
@Command(
        name = "diff",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = DataCommand.BAD_ARGUMENTS,
        description = "Show added, modified, renamed or deleted data between commits, or a commit and the workspace.")
final class DiffCommand implements Callable<Integer> {
    @ParentCommand
    private DataCommand data;

    @Parameters(index = "0", arity = "0..1", paramLabel = "A_REV", description = "Old commit (default: HEAD).")
    private String oldRevision = "HEAD";

    @Parameters(index = "1", arity = "0..1", paramLabel = "B_REV", description = "New commit (default: the workspace).")
    private String newRevision;

    @Option(
            names = {"--json", "--show-json"},
            description = "Print the diff as JSON, as 'dvc diff --json' does.")
    private boolean json;

    @Option(names = "--show-hash", description = "Show the hash of each entry.")
    private boolean showHash;

    @Option(names = "--hide-missing", description = "Leave out the 'not in cache' entries.")
    private boolean hideMissing;

    @Option(
            names = "--targets",
            arity = "1..*",
            paramLabel = "PATH",
            description = "Only these DVC-tracked files or directories (and what is inside them).")
    private List<String> targets = List.of();

    @Override
    public Integer call() throws Exception {
        Progress progress = ConsoleProgress.forConsole();
        Map<String, List<DataDiff.Entry>> diff;
        try (Workspace workspace = new Workspace(data.repo(), progress)) {
            var root = workspace.repo().root();
            GitTree older = GitTree.at(root, oldRevision);
            GitTree newer = newRevision == null ? GitTree.workspace(root) : GitTree.at(root, newRevision);
            diff = new LinkedHashMap<>(new DataDiff(workspace).diff(older, newer));
            List<String> paths = targets.stream()
                    .map(target -> workspace.repo().relative(data.resolve(target)))
                    .toList();
            if (!paths.isEmpty()) {
                diff.replaceAll((state, entries) -> entries.stream()
                        .filter(entry -> paths.stream().anyMatch(path -> within(entry, path)))
                        .toList());
            }
        } finally {
            ConsoleProgress.finish(progress);
        }
        // as in DVC: 'not in cache' only means something against the workspace
        if (newRevision != null || hideMissing) {
            diff.remove("not in cache");
        }
        if (json) {
            data.out().println(DvcJson.write(DataDiff.toJson(diff, showHash)));
        } else {
            DataDiff.toLines(diff, showHash).forEach(data.out()::println);
        }
        return 0;
    }

    /** Whether an entry is the target or inside it (a directory is {@code dir/} in the diff). */
    private static boolean within(DataDiff.Entry entry, String target) {
        return Stream.of(Optional.of(entry.path()), entry.oldPath())
                .flatMap(Optional::stream)
                .anyMatch(path -> path.equals(target) || path.startsWith(target + "/"));
    }
}
