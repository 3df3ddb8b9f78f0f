package io.axle.server.deploy;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.server.deploy.render.DeploymentSpec;
import java.util.Optional;

/**
 * What a user declares for a deployment: the render's spec, and what admission needs besides.
 *
 * @param gpuPool the GPU pool admission checks the release against; none: no admission
 * @param gpuMemoryBytes the declared GPU memory per replica, used when a version has no axle.gpu_memory_bytes tag
 */
public record DeploymentDefinition(DeploymentSpec spec, Optional<String> gpuPool, Optional<Long> gpuMemoryBytes) {
    public DeploymentDefinition {
        requireNonNull(spec, "spec is null");
        requireNonNull(gpuPool, "gpuPool is null");
        requireNonNull(gpuMemoryBytes, "gpuMemoryBytes is null");
        gpuMemoryBytes.ifPresent(bytes -> {
            if (bytes < 1) {
                throw AxleException.invalidParameter(
                        "The GPU memory of deployment '" + spec.name() + "' must be positive, not " + bytes);
            }
        });
    }

    public String name() {
        return spec.name();
    }
}
