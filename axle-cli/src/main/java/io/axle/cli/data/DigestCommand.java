package io.axle.cli.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.data.hash.Progress;
import io.axle.data.repo.DataException;
import io.axle.data.repo.DvcRepo;
import io.axle.data.workspace.Digest;
import io.axle.data.workspace.Workspace;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code axle data digest}: the md5 a training run logs as its dataset's digest, for the registry's lineage. */
@Command(
        name = "digest",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = DataCommand.BAD_ARGUMENTS,
        description = {
            "Print the md5 to record for lineage: what a .dvc file records, or the hash a file or directory has now"
                    + " (as 'axle data add' would record it; directories end in .dir).",
            "Works outside a DVC repository too."
        })
final class DigestCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    private DataCommand data;

    @Option(
            names = "--json",
            description = "Print {\"path\", \"md5\", \"size\"[, \"nfiles\"]} (a list for several outs).")
    private boolean json;

    @Parameters(arity = "1", paramLabel = "PATH", description = "A file, a directory, or a .dvc file.")
    private String target;

    @Override
    public Integer call() throws Exception {
        Path path = data.resolve(target);
        Progress progress = ConsoleProgress.forConsole();
        List<Digest> digests;
        try {
            digests = digests(path, progress);
        } finally {
            ConsoleProgress.finish(progress);
        }
        if (json) {
            List<Map<String, Object>> objects =
                    digests.stream().map(DigestCommand::toJson).toList();
            data.out().println(JSON.writeValueAsString(objects.size() == 1 ? objects.getFirst() : objects));
        } else if (digests.size() == 1) {
            data.out().println(digests.getFirst().md5());
        } else {
            digests.forEach(digest -> data.out().println(digest.md5() + "  " + digest.path()));
        }
        return 0;
    }

    private List<Digest> digests(Path path, Progress progress) {
        try {
            DvcRepo repo = DvcRepo.find(path.getParent() == null ? path : path.getParent());
            try (Workspace workspace = new Workspace(repo, progress)) {
                return workspace.digest(path);
            }
        } catch (DataException e) {
            if (e.kind() != DataException.Kind.NOT_A_REPOSITORY) {
                throw e;
            }
            return List.of(Workspace.digestOutsideRepository(path, progress));
        }
    }

    private static Map<String, Object> toJson(Digest digest) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("path", digest.path());
        object.put("md5", digest.md5());
        object.put("size", digest.size());
        digest.nfiles().ifPresent(nfiles -> object.put("nfiles", nfiles));
        return object;
    }
}
