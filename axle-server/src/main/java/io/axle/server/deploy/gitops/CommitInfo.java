package io.axle.server.deploy.gitops;

import static java.util.Objects.requireNonNull;

/**
 * What a commit says: its message names the model, version, what moved (alias or stage), the actor and the registry
 * event that caused it, so {@code git log} in the GitOps repository answers "who deployed what, and why".
 */
public record CommitInfo(String message, String authorName, String authorEmail) {
    public CommitInfo {
        requireNonNull(message, "message is null");
        requireNonNull(authorName, "authorName is null");
        requireNonNull(authorEmail, "authorEmail is null");
    }
}
