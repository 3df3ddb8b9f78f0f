package io.axle.server.deploy;

import io.axle.server.deploy.gitops.CommitInfo;
import io.axle.server.deploy.gitops.GitOpsPublisher;
import io.axle.server.deploy.gitops.PublishResult;
import io.axle.server.deploy.render.GitOpsTarget;
import io.axle.server.deploy.render.RenderedFiles;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A publisher that keeps what it was given, commits nothing anywhere, and reports a new commit only when the files
 * differ from the last ones published for the same directory, as a real publisher would.
 */
public final class RecordingPublisher implements GitOpsPublisher {
    record Published(GitOpsTarget target, RenderedFiles files, CommitInfo commit, PublishResult result) {}

    private final List<Published> published = new CopyOnWriteArrayList<>();

    @Override
    public synchronized PublishResult publish(GitOpsTarget target, RenderedFiles files, CommitInfo commit) {
        boolean changed = published.reversed().stream()
                .filter(earlier -> earlier.files().directory().equals(files.directory()))
                .findFirst()
                .map(earlier -> !earlier.files().equals(files))
                .orElse(true);
        long commits = published.stream().filter(p -> p.result().changed()).count() + (changed ? 1 : 0);
        PublishResult result = new PublishResult(sha(commits), changed, 1);
        published.add(new Published(target, files, commit, result));
        return result;
    }

    /** Every publish call, in order, including those that made no commit. */
    List<Published> published() {
        return List.copyOf(published);
    }

    List<Published> commits() {
        return published.stream().filter(p -> p.result().changed()).toList();
    }

    private static String sha(long number) {
        return HexFormat.of().toHexDigits(number) + "0".repeat(24);
    }
}
