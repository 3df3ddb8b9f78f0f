package io.axle.server.tracking;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/** A metric point together with the run it belongs to, for histories across runs. */
@JsonSerialize(using = MetricJson.MetricWithRunIdSerializer.class)
public record MetricWithRunId(String key, double value, long timestamp, long step, String runId) {
    public MetricWithRunId {
        requireNonNull(key, "key is null");
        requireNonNull(runId, "runId is null");
    }
}
