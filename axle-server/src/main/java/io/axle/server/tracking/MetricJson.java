package io.axle.server.tracking;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * Writes metric points field by field: histories run to hundreds of thousands of points, where generic record
 * serialization would cost more than reading them from the database.
 */
final class MetricJson {
    private MetricJson() {}

    private static void writePoint(JsonGenerator generator, String key, double value, long timestamp, long step)
            throws IOException {
        generator.writeStringField("key", key);
        generator.writeFieldName("value");
        writeValue(generator, value);
        generator.writeNumberField("timestamp", timestamp);
        generator.writeNumberField("step", step);
    }

    private static void writeValue(JsonGenerator generator, double value) throws IOException {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            // protobuf's JSON names for the values JSON has no number for
            generator.writeString(Double.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        } else {
            generator.writeNumber(value);
        }
    }

    static final class MetricSerializer extends StdSerializer<Metric> {
        MetricSerializer() {
            super(Metric.class);
        }

        @Override
        public void serialize(Metric metric, JsonGenerator generator, SerializerProvider provider) throws IOException {
            generator.writeStartObject();
            writePoint(generator, metric.key(), metric.value(), metric.timestamp(), metric.step());
            generator.writeEndObject();
        }
    }

    static final class MetricWithRunIdSerializer extends StdSerializer<MetricWithRunId> {
        MetricWithRunIdSerializer() {
            super(MetricWithRunId.class);
        }

        @Override
        public void serialize(MetricWithRunId metric, JsonGenerator generator, SerializerProvider provider)
                throws IOException {
            generator.writeStartObject();
            writePoint(generator, metric.key(), metric.value(), metric.timestamp(), metric.step());
            generator.writeStringField("run_id", metric.runId());
            generator.writeEndObject();
        }
    }
}
