package io.axle.gpu.placement;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;

/**
 * A model to place: {@code replicas} copies of {@code bytesPerReplica} each (its declared peak), rolled out with up to
 * {@code maxSurge} new replicas running beside the old ones.
 */
public record ReplicaRequest(String model, int replicas, long bytesPerReplica, int maxSurge) {
    public ReplicaRequest {
        requireNonNull(model, "model is null");
        if (replicas < 1) {
            throw AxleException.invalidParameter("'" + model + "' needs at least 1 replica, not " + replicas);
        }
        if (bytesPerReplica < 0) {
            throw AxleExceptions.negative("memory per replica of '" + model + "'", bytesPerReplica);
        }
        if (maxSurge < 0) {
            throw AxleExceptions.negative("maxSurge of '" + model + "'", maxSurge);
        }
    }
}
