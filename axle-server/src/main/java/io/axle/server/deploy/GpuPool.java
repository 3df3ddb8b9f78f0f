package io.axle.server.deploy;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A pool of GPU nodes that admission checks releases against: configured as {@code nodes} × {@code gpusPerNode} GPUs
 * of {@code memoryPerGpuBytes} each (idle), or learned from the {@code axle gpu exporter}s at {@code exporters}
 * (their GPUs' live memory), or both: then the exporters are read, and the configured shape is the fallback when one
 * of them cannot be read. A pool learned from exporters alone has the shape 0 × 0 × 0.
 */
public record GpuPool(String name, int nodes, int gpusPerNode, long memoryPerGpuBytes, List<URI> exporters) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern SEPARATOR = Pattern.compile("[\\s,]+");
    static final int MAX_EXPORTERS = 64;
    /** The {@code gpu_pools.exporters} column's size. */
    private static final int MAX_EXPORTERS_LENGTH = 8000;

    public GpuPool {
        requireNonNull(name, "name is null");
        exporters = List.copyOf(exporters);
        if (!NAME.matcher(name).matches()) {
            throw AxleException.invalidParameter(
                    "GPU pool name '" + name + "' must be lower-case letters, digits and '-' (at most 63)");
        }
        boolean unshaped = nodes == 0 && gpusPerNode == 0 && memoryPerGpuBytes == 0;
        if (unshaped && exporters.isEmpty()) {
            throw AxleException.invalidParameter(
                    "GPU pool '" + name + "' needs a shape (nodes, gpus_per_node,"
                            + " memory_per_gpu) or the exporters to learn it from (exporters: [\"http://node-1:9400/metrics\"])");
        }
        if (!unshaped && (nodes < 1 || gpusPerNode < 1 || memoryPerGpuBytes < 1)) {
            throw AxleException.invalidParameter("GPU pool '" + name + "' needs at least 1 node, 1 GPU per node and"
                    + " some memory per GPU, not " + nodes + " × " + gpusPerNode + " × " + memoryPerGpuBytes + " B");
        }
        if (exporters.size() > MAX_EXPORTERS) {
            throw AxleException.invalidParameter("GPU pool '" + name + "' names " + exporters.size()
                    + " exporters: at most " + MAX_EXPORTERS + " (split it into pools)");
        }
        if (exporters.stream().distinct().count() != exporters.size()) {
            throw AxleException.invalidParameter(
                    "GPU pool '" + name + "' names an exporter twice: " + exporters + "; list each once");
        }
        exporters.forEach(exporter -> requireHttp(name, exporter));
        int length = exporters.stream()
                .mapToInt(exporter -> exporter.toString().length() + 1)
                .sum();
        if (length > MAX_EXPORTERS_LENGTH) {
            throw AxleException.invalidParameter("GPU pool '" + name + "' names exporters of " + length
                    + " characters together: at most " + MAX_EXPORTERS_LENGTH + " (shorten the URLs)");
        }
    }

    /** A configured pool, learned from no exporter. */
    public GpuPool(String name, int nodes, int gpusPerNode, long memoryPerGpuBytes) {
        this(name, nodes, gpusPerNode, memoryPerGpuBytes, List.of());
    }

    /** Whether the pool has a configured shape (as the pool, or as the fallback of its exporters). */
    public boolean configured() {
        return nodes > 0;
    }

    /** Exporter URLs as given by a user: http(s) URLs, checked. */
    static URI exporter(String pool, String text) {
        try {
            URI exporter = new URI(text.strip());
            requireHttp(pool, exporter);
            return exporter;
        } catch (URISyntaxException e) {
            throw AxleException.invalidParameter("GPU pool '" + pool + "': exporter '" + text + "' is not a URL ("
                    + e.getReason() + "); give one like http://node-1:9400/metrics");
        }
    }

    /** The exporters as stored: separated by newlines (or commas, or spaces). */
    static List<URI> parseExporters(String pool, String stored) {
        return Arrays.stream(SEPARATOR.split(stored.strip()))
                .filter(text -> !text.isEmpty())
                .map(text -> exporter(pool, text))
                .toList();
    }

    String storedExporters() {
        return exporters.stream().map(URI::toString).collect(Collectors.joining("\n"));
    }

    private static void requireHttp(String pool, URI exporter) {
        String scheme = exporter.getScheme() == null ? "" : exporter.getScheme();
        if (!(scheme.equals("http") || scheme.equals("https"))
                || exporter.getHost() == null
                || exporter.getUserInfo() != null
                || exporter.getFragment() != null) {
            throw AxleException.invalidParameter("GPU pool '" + pool + "': exporter '" + exporter
                    + "' must be an http(s) URL with a host and no user or fragment, like"
                    + " http://node-1:9400/metrics");
        }
    }
}
