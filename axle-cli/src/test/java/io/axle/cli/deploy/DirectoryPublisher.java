package io.axle.cli.deploy;

import io.axle.server.deploy.gitops.CommitInfo;
import io.axle.server.deploy.gitops.GitOpsPublisher;
import io.axle.server.deploy.gitops.PublishResult;
import io.axle.server.deploy.render.GitOpsTarget;
import io.axle.server.deploy.render.RenderedFiles;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** A publisher that writes each render into a directory, as a checkout would hold it, and counts the writes. */
final class DirectoryPublisher implements GitOpsPublisher {
    private final Path root;
    private final AtomicInteger commits = new AtomicInteger();

    DirectoryPublisher(Path root) {
        this.root = root;
    }

    @Override
    public PublishResult publish(GitOpsTarget target, RenderedFiles files, CommitInfo commit) {
        files.writeTo(root);
        int number = commits.incrementAndGet();
        return new PublishResult(String.format("%040d", number), true, 1);
    }

    int commits() {
        return commits.get();
    }
}
