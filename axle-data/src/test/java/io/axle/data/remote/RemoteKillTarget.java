package io.axle.data.remote;

import io.axle.data.hash.Progress;
import io.axle.data.repo.DvcRepo;
import io.axle.data.workspace.Workspace;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The child JVM of {@link RemoteKillNineTest}: runs push or pull until it is killed. */
public final class RemoteKillTarget {
    private RemoteKillTarget() {}

    public static void main(String[] args) {
        Path root = Path.of(args[1]);
        try (Workspace workspace = new Workspace(DvcRepo.find(root), Progress.NONE);
                Remote remote = Remote.open(workspace.repo(), Optional.empty(), Map.of())) {
            System.out.println("started");
            System.out.flush();
            DataSync sync = new DataSync(workspace, remote, 4, Progress.NONE);
            switch (args[0]) {
                case "push" -> sync.push(List.of());
                case "pull" -> {
                    sync.fetch(List.of());
                    workspace.checkout(List.of(), true);
                }
                default -> throw new IllegalArgumentException(args[0]);
            }
        }
        System.out.println("finished");
        System.out.flush();
    }
}
