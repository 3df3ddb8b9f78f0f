package io.axle.server.deploy;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import java.util.regex.Pattern;

/**
 * A configured pool of GPU nodes that admission checks releases against: {@code nodes} × {@code gpusPerNode} GPUs
 * of {@code memoryPerGpuBytes} each.
 */
public record GpuPool(String name, int nodes, int gpusPerNode, long memoryPerGpuBytes) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    public GpuPool {
        requireNonNull(name, "name is null");
        if (!NAME.matcher(name).matches()) {
            throw AxleException.invalidParameter(
                    "GPU pool name '" + name + "' must be lower-case letters, digits and '-' (at most 63)");
        }
        if (nodes < 1 || gpusPerNode < 1 || memoryPerGpuBytes < 1) {
            throw AxleException.invalidParameter("GPU pool '" + name + "' needs at least 1 node, 1 GPU per node and"
                    + " some memory per GPU, not " + nodes + " × " + gpusPerNode + " × " + memoryPerGpuBytes + " B");
        }
    }
}
