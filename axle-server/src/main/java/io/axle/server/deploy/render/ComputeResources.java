package io.axle.server.deploy.render;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * CPU and memory of the model server's container, as Kubernetes quantities ({@code 500m}, {@code 2}, {@code 4Gi}).
 * A limit is at least its request. The JVM sizes its heap from the memory limit.
 */
public record ComputeResources(String cpuRequest, String cpuLimit, String memoryRequest, String memoryLimit) {
    public ComputeResources {
        atMost("CPU", requireNonNull(cpuRequest, "cpuRequest is null"), requireNonNull(cpuLimit, "cpuLimit is null"));
        atMost(
                "Memory",
                requireNonNull(memoryRequest, "memoryRequest is null"),
                requireNonNull(memoryLimit, "memoryLimit is null"));
    }

    private static void atMost(String what, String request, String limit) {
        Quantity requested = Checks.quantity(what + " request", request);
        Quantity limited = Checks.quantity(what + " limit", limit);
        if (Checks.amount(requested).compareTo(Checks.amount(limited)) > 0) {
            throw AxleException.invalidParameter(what + " request " + request + " is above its limit " + limit
                    + ": raise the limit or lower the request");
        }
    }
}
