package io.axle.server.tracking;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/** One point of a metric; NaN and infinities are allowed, as in MLflow. */
@JsonSerialize(using = MetricJson.MetricSerializer.class)
public record Metric(String key, double value, long timestamp, long step) {
    public Metric {
        requireNonNull(key, "key is null");
    }
}
