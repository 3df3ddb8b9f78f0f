package io.axle.gpu.metrics;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import java.time.Duration;

/**
 * Where {@link GpuExporter} listens and how often it reads the GPUs.
 *
 * @param host the address to bind; {@code 0.0.0.0} (every interface) is dcgm-exporter's default, since
 *     Prometheus scrapes from another host
 * @param port 9400 is dcgm-exporter's port; 0 picks a free one
 * @param minInterval scrapes closer together than this share one snapshot; zero reads the GPUs on every scrape
 */
public record GpuExporterConfig(String host, int port, Duration minInterval) {
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 9400;

    public GpuExporterConfig {
        requireNonNull(host, "host is null");
        requireNonNull(minInterval, "minInterval is null");
        if (port < 0 || port > 65535) {
            throw AxleException.invalidParameter("Exporter port must be 0..65535, not " + port);
        }
        if (minInterval.isNegative()) {
            throw AxleException.invalidParameter("Exporter minimum interval must not be negative: " + minInterval);
        }
    }
}
