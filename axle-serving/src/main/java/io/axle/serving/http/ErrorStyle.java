package io.axle.serving.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.common.ErrorCode;

/** How each protocol writes an error: MLflow's {@code {"error_code", "message"}}, OIP's {@code {"error"}}. */
enum ErrorStyle {
    MLFLOW,
    OPEN_INFERENCE;

    private static final ObjectMapper JSON = new ObjectMapper();

    Reply reply(ErrorCode code, String message) {
        ObjectNode body = JSON.createObjectNode();
        switch (this) {
            case MLFLOW -> body.put("error_code", code.name()).put("message", message);
            case OPEN_INFERENCE -> body.put("error", message);
        }
        try {
            return Reply.json(code.httpStatus(), JSON.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("an error body always serializes", e);
        }
    }

    static ErrorStyle forPath(String path) {
        return path.equals("/v2") || path.startsWith("/v2/") ? OPEN_INFERENCE : MLFLOW;
    }
}
