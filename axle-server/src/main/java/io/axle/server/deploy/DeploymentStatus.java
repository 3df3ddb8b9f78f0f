package io.axle.server.deploy;

/** Where a deployment stands after the deployer last handled it. */
public enum DeploymentStatus {
    /** Its current version is committed to the GitOps repository. */
    READY,
    /** Nothing committed yet: what it follows is not set, or the deployer has not reached it. */
    PENDING,
    /** Admission refused the release: the status message holds the arithmetic. Nothing was committed. */
    BLOCKED,
    /** Rendering or publishing failed: retried on the next event or by a retry call. */
    FAILED
}
