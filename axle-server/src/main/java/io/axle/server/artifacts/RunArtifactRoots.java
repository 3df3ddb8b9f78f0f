package io.axle.server.artifacts;

/** Where each run keeps its artifacts; the tracking service knows. */
public interface RunArtifactRoots {
    /**
     * The artifact URI of run {@code runId}, such as {@code mlflow-artifacts:/1/0a1b.../artifacts}.
     *
     * @throws io.axle.common.AxleException {@code RESOURCE_DOES_NOT_EXIST} when there is no such run
     */
    String artifactUri(String runId);
}
