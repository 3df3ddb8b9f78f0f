package io.axle.server.events;

/** What changed in the registry. */
public enum EventType {
    MODEL_CREATED,
    MODEL_RENAMED,
    MODEL_UPDATED,
    MODEL_DELETED,
    MODEL_IMPORTED,
    MODEL_TAG_SET,
    MODEL_TAG_DELETED,
    VERSION_CREATED,
    VERSION_READY,
    VERSION_FAILED,
    VERSION_UPDATED,
    VERSION_DELETED,
    VERSION_TAG_SET,
    VERSION_TAG_DELETED,
    STAGE_TRANSITIONED,
    ALIAS_SET,
    ALIAS_MOVED,
    ALIAS_DELETED,
    DEPLOYMENT_CREATED,
    DEPLOYMENT_UPDATED,
    DEPLOYMENT_DELETED,
    /** A deployment's render was committed (or the GitOps branch already held it): a new revision. */
    DEPLOYMENT_DEPLOYED,
    /** Admission refused a release: the payload's message holds the arithmetic. */
    DEPLOYMENT_BLOCKED,
    /** Rendering or publishing failed: retried on the next event or by a retry call. */
    DEPLOYMENT_FAILED
}
