package io.axle.server.tracking;

import static java.util.Objects.requireNonNull;

/** One point of a metric; NaN and infinities are allowed, as in MLflow. */
public record Metric(String key, double value, long timestamp, long step) {
    public Metric {
        requireNonNull(key, "key is null");
    }
}
