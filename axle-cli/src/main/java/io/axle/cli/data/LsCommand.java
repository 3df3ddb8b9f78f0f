package io.axle.cli.data;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.axle.data.hash.Progress;
import io.axle.data.history.GitTree;
import io.axle.data.history.RepoListing;
import io.axle.data.repo.DataException;
import io.axle.data.repo.DvcRepo;
import io.axle.data.workspace.Workspace;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code axle data ls [.] [PATH]}: the local repository's files and DVC outputs, as {@code dvc ls .} lists them. */
@Command(
        name = "ls",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = DataCommand.BAD_ARGUMENTS,
        description = "List the repository's Git-tracked files and DVC outputs (the local repository only).")
final class LsCommand implements Callable<Integer> {
    @ParentCommand
    private DataCommand data;

    @Parameters(
            arity = "0..2",
            paramLabel = "[URL] PATH",
            description = "'.' (this repository, the only one supported), then the path to list (default: the root).")
    private List<String> arguments = List.of();

    @Option(names = "--json", description = "Print [{isout, isdir, isexec, path}] as 'dvc ls --json' does.")
    private boolean json;

    @Option(
            names = {"-R", "--recursive"},
            description = "List every file below the path.")
    private boolean recursive;

    @Option(names = "--dvc-only", description = "Show only DVC outputs.")
    private boolean dvcOnly;

    @Option(names = "--rev", paramLabel = "REV", description = "Git revision to list (default: the workspace).")
    private String revision;

    @Override
    public Integer call() throws Exception {
        DvcRepo repo = data.repo();
        String path = arguments.isEmpty() ? "." : arguments.getLast();
        if (arguments.size() == 2 && !data.resolve(arguments.getFirst()).equals(repo.root())) {
            throw DataException.badArguments(
                    "only the local repository ('.') can be listed, not '" + arguments.getFirst() + "'");
        }
        String relative = repo.relative(data.resolve(path));
        List<RepoListing.Entry> entries;
        try (Workspace workspace = new Workspace(repo, Progress.NONE)) {
            GitTree tree = revision == null ? GitTree.workspace(repo.root()) : GitTree.at(repo.root(), revision);
            entries = new RepoListing(workspace).list(tree, relative, recursive);
        }
        if (dvcOnly) {
            entries = entries.stream().filter(RepoListing.Entry::isout).toList();
        }
        if (json) {
            ArrayNode array = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            for (RepoListing.Entry entry : entries) {
                array.addObject()
                        .put("isout", entry.isout())
                        .put("isdir", entry.isdir())
                        .put("isexec", entry.isexec())
                        .put("path", entry.path());
            }
            data.out().println(DvcJson.write(array));
        } else {
            entries.forEach(entry -> data.out().println(entry.path()));
        }
        return 0;
    }
}
