package io.axle.cli.data;

import io.axle.data.hash.Progress;
import io.axle.data.remote.DataSync;
import io.axle.data.remote.Remote;
import io.axle.data.repo.DataException;
import io.axle.data.repo.DvcRepo;
import io.axle.data.workspace.Workspace;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Opens the workspace and remote that push, fetch, pull and status -c share, and closes them after. */
final class Sync {
    private Sync() {}

    /** {@code -j}, else the remote's {@code jobs}, else DVC's four per core. */
    static int jobs(Optional<Integer> option, Remote remote) {
        return option.orElseGet(() -> remote.jobs().orElse(DataSync.defaultJobs()));
    }

    static <T> T run(
            DataCommand data,
            Optional<String> remoteName,
            Optional<Integer> jobs,
            String label,
            Function<DataSync, T> action) {
        Progress progress = TransferProgress.forConsole(label);
        DvcRepo repo = data.repo();
        try (Workspace workspace = new Workspace(repo, Progress.NONE);
                Remote remote = Remote.open(workspace.repo(), remoteName, System.getenv());
                DataSync sync = new DataSync(workspace, remote, System.getenv(), jobs(jobs, remote), progress)) {
            return action.apply(sync);
        } catch (DataException e) {
            // DVC's push, fetch, pull and status catch their own errors and exit 1, a missing remote included
            if (e.kind() == DataException.Kind.CONFIG) {
                throw new DataException(DataException.Kind.COMMAND_FAILED, e.getMessage(), e);
            }
            throw e;
        } finally {
            TransferProgress.finish(progress);
        }
    }

    static List<Path> targets(DataCommand data, List<String> targets) {
        return targets.stream().map(data::resolve).toList();
    }
}
