package io.axle.server.artifacts;

import io.axle.common.AxleException;
import java.util.Map;

/** Runs and their artifact URIs, fixed by a test, in place of the tracking service. */
record MapRunArtifactRoots(Map<String, String> artifactUris) implements RunArtifactRoots {
    MapRunArtifactRoots {
        artifactUris = Map.copyOf(artifactUris);
    }

    @Override
    public String artifactUri(String runId) {
        String uri = artifactUris.get(runId);
        if (uri == null) {
            throw AxleException.notFound("Run with id=" + runId + " not found");
        }
        return uri;
    }
}
