package io.axle.server.registry;

/** Where a version's copy into registry storage stands; only a READY version can be served or deployed. */
public enum VersionStatus {
    PENDING_REGISTRATION,
    FAILED_REGISTRATION,
    READY
}
