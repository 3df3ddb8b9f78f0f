package io.axle.server.tracking;

/** MLflow's lifecycle stages of experiments and runs, as stored and shown. */
final class LifecycleStage {
    static final String ACTIVE = "active";
    static final String DELETED = "deleted";

    private LifecycleStage() {}
}
