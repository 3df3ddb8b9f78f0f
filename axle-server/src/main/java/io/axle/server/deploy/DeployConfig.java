package io.axle.server.deploy;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.gpu.placement.Placer;
import io.axle.server.deploy.gitops.GitOpsPublisher;
import java.time.Duration;

/**
 * How the deployer runs.
 *
 * @param publisher commits renders to GitOps repositories; {@link NotConfiguredPublisher} until one is plugged in
 * @param pollInterval how often the deployer looks for new registry events
 * @param lease how long a replica holds the deployer's cursor without renewing it before another may take over
 * @param headroomBytes GPU memory kept spare per replica for its CUDA context, as {@link Placer} does
 */
public record DeployConfig(GitOpsPublisher publisher, Duration pollInterval, Duration lease, long headroomBytes) {
    public DeployConfig {
        requireNonNull(publisher, "publisher is null");
        requireNonNull(pollInterval, "pollInterval is null");
        requireNonNull(lease, "lease is null");
        if (pollInterval.isNegative() || pollInterval.isZero() || lease.isNegative() || lease.isZero()) {
            throw AxleException.invalidParameter("The deployer's poll interval and lease must be positive");
        }
        if (headroomBytes < 0) {
            throw AxleException.invalidParameter("GPU headroom cannot be negative: " + headroomBytes);
        }
    }

    /** No publisher yet, a poll a second, a two-minute lease, 512 MiB of headroom. */
    public static DeployConfig defaults() {
        return new DeployConfig(
                new NotConfiguredPublisher(),
                Duration.ofSeconds(1),
                Duration.ofMinutes(2),
                Placer.DEFAULT_HEADROOM_BYTES);
    }

    public DeployConfig withPublisher(GitOpsPublisher newPublisher) {
        return new DeployConfig(newPublisher, pollInterval, lease, headroomBytes);
    }

    public DeployConfig withPollInterval(Duration newPollInterval) {
        return new DeployConfig(publisher, newPollInterval, lease, headroomBytes);
    }

    public DeployConfig withHeadroomBytes(long newHeadroomBytes) {
        return new DeployConfig(publisher, pollInterval, lease, newHeadroomBytes);
    }
}
