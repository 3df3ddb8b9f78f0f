package io.axle.server.deploy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.server.deploy.render.DeploymentSpec;
import java.util.Optional;

/**
 * A deployment as the API shows it: its declaration ({@code spec}, in the JSON form it is created with) and where
 * the deployer has brought it.
 *
 * @param currentVersion the model version last committed
 * @param lastCommit the GitOps commit that holds it
 */
public record Deployment(
        String name,
        String registeredModel,
        JsonNode spec,
        DeploymentStatus status,
        String statusMessage,
        Optional<Long> currentVersion,
        Optional<String> lastCommit,
        long creationTimestamp,
        long lastUpdatedTimestamp) {
    public Deployment {
        requireNonNull(name, "name is null");
        requireNonNull(registeredModel, "registeredModel is null");
        requireNonNull(spec, "spec is null");
        requireNonNull(status, "status is null");
        requireNonNull(statusMessage, "statusMessage is null");
        requireNonNull(currentVersion, "currentVersion is null");
        requireNonNull(lastCommit, "lastCommit is null");
    }

    /** What the deployment follows, from its {@code spec}, which was checked when it was declared. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public DeploymentSpec.Follows follows() {
        return SpecJson.follows(spec.path("follows"));
    }
}
