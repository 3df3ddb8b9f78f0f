package io.axle.server.deploy.gitops;

import io.axle.server.deploy.render.GitOpsTarget;
import io.axle.server.deploy.render.RenderedFiles;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;

/** Renders made by hand: what the publisher commits does not depend on what the renderer writes. */
final class GitOpsFixtures {
    static final String BRANCH = "main";

    private GitOpsFixtures() {}

    static GitOpsTarget target(BareRepository repository) {
        return new GitOpsTarget(repository.url(), BRANCH, "deploy", new GitOpsTarget.Credentials.None());
    }

    /** A deployment's directory with a kustomization and one file per extra name, each naming the version. */
    static RenderedFiles render(String environment, String deployment, int version, String... extraFiles) {
        String directory = "deploy/" + environment + "/" + deployment;
        TreeMap<String, byte[]> files = new TreeMap<>();
        StringBuilder kustomization = new StringBuilder("resources:\n");
        for (String name : extraFiles) {
            kustomization.append("  - ").append(name).append('\n');
            files.put(directory + "/" + name, text("# " + deployment + " version " + version + "\nkind: " + name));
        }
        files.put(directory + "/kustomization.yaml", text(kustomization.toString()));
        return new RenderedFiles(directory, files);
    }

    static CommitInfo commit(String deployment, int version) {
        return new CommitInfo(
                "deploy " + deployment + " version " + version + " (alias champion) by alice, event 4" + version,
                "Axle",
                "axle@example.com");
    }

    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
