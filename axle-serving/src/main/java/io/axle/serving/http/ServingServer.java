package io.axle.serving.http;

import io.axle.serving.ModelHandle;
import io.axle.serving.ServingConfig;
import io.axle.serving.metrics.ServingMetrics;

/**
 * The model server's HTTP side on one port: MLflow's scoring protocol, the Open Inference Protocol v2,
 * {@code /openapi.json} and {@code /metrics}.
 */
public final class ServingServer implements AutoCloseable {
    private ServingServer() {}

    /** Starts serving {@code handle}'s model; returns once the port is bound. */
    public static ServingServer start(ServingConfig config, ModelHandle handle, ServingMetrics metrics) {
        throw new UnsupportedOperationException("being built");
    }

    /** The bound port (the real one when the config asked for 0). */
    public int port() {
        throw new UnsupportedOperationException("being built");
    }

    /** Blocks until the server stops. */
    public void join() {}

    /** Stops accepting, lets in-flight requests finish (up to the config's grace), then stops. */
    @Override
    public void close() {}
}
