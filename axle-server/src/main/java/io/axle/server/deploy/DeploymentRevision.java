package io.axle.server.deploy;

import static java.util.Objects.requireNonNull;

/**
 * One commit made for a deployment: {@code axle deploy history}.
 *
 * @param eventSeq the registry event that caused it
 */
public record DeploymentRevision(
        long revision, String deployment, long version, String commitSha, String actor, long eventSeq, long timestamp) {
    public DeploymentRevision {
        requireNonNull(deployment, "deployment is null");
        requireNonNull(commitSha, "commitSha is null");
        requireNonNull(actor, "actor is null");
    }
}
