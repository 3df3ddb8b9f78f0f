package io.axle.data.workspace;

import io.axle.data.hash.Progress;
import io.axle.data.repo.DvcRepo;
import java.nio.file.Path;
import java.util.List;

/** The child JVM of {@link KillNineTest}: runs one workspace command until it is killed. */
public final class KillTarget {
    private KillTarget() {}

    public static void main(String[] args) {
        Path root = Path.of(args[1]);
        try (Workspace workspace = new Workspace(DvcRepo.find(root), Progress.NONE)) {
            System.out.println("started");
            System.out.flush();
            switch (args[0]) {
                case "add" -> workspace.add(List.of(root.resolve("data")));
                case "checkout" -> workspace.checkout(List.of(), true);
                default -> throw new IllegalArgumentException(args[0]);
            }
        }
        System.out.println("finished");
        System.out.flush();
    }
}
