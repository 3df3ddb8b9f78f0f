package io.axle.server.webhooks;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.server.events.RegistryEvent;
import java.time.Instant;
import java.util.List;

/**
 * The JSON body a subscription receives for a registry event. Axle's: {@code {"type", "timestamp", "data": <the
 * event as GET /api/2.0/axle/events shows it>}}, the Standard Webhooks envelope. MLflow's: {@code {"entity",
 * "action", "timestamp", "data"}} with the fields MLflow's payloads carry.
 */
final class Payloads {
    private static final List<String> MLFLOW_DATA_FIELDS = List.of("source", "run_id", "key", "value");

    private final ObjectMapper mapper;

    Payloads(ObjectMapper mapper) {
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    String render(RegistryEvent event, Flavor flavor) {
        ObjectNode body = mapper.createObjectNode();
        String timestamp = Instant.ofEpochMilli(event.timestamp()).toString();
        switch (flavor) {
            case AXLE -> {
                body.put("type", event.type().name());
                body.put("timestamp", timestamp);
                body.set("data", mapper.valueToTree(event));
            }
            case MLFLOW -> {
                MlflowEvent mlflow = MlflowEvent.of(event.type())
                        .orElseThrow(() -> new IllegalStateException("MLflow has no event for " + event.type()));
                body.put("entity", mlflow.entity());
                body.put("action", mlflow.action());
                body.put("timestamp", timestamp);
                ObjectNode data = body.putObject("data");
                data.put("name", event.modelName());
                event.version().ifPresent(version -> data.put("version", version));
                event.alias().ifPresent(alias -> data.put("alias", alias));
                for (String field : MLFLOW_DATA_FIELDS) {
                    if (event.payload().hasNonNull(field)) {
                        data.set(field, event.payload().get(field));
                    }
                }
            }
        }
        return write(body);
    }

    /** The body of a test delivery, which no registry change caused. */
    String test(Flavor flavor, Instant now) {
        ObjectNode body = mapper.createObjectNode();
        switch (flavor) {
            case AXLE -> {
                body.put("type", "TEST");
                body.put("timestamp", now.toString());
                body.putObject("data").put("message", "A test delivery from Axle.");
            }
            case MLFLOW -> {
                body.put("entity", "registered_model");
                body.put("action", "created");
                body.put("timestamp", now.toString());
                ObjectNode data = body.putObject("data");
                data.put("name", "example_model");
                data.put("description", "An example registered model");
            }
        }
        return write(body);
    }

    private String write(ObjectNode body) {
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A webhook payload cannot be written as JSON", e);
        }
    }
}
