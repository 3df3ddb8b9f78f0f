package io.axle.server.deploy.gitops;

import static java.util.Objects.requireNonNull;

/**
 * @param commitSha the commit that holds the files: a new one, or the branch's head when it already held them
 * @param changed whether a commit was made
 * @param attempts pushes tried (more than one after a rebase)
 */
public record PublishResult(String commitSha, boolean changed, int attempts) {
    public PublishResult {
        requireNonNull(commitSha, "commitSha is null");
    }
}
