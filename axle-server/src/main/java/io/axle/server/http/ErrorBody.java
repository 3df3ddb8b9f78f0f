package io.axle.server.http;

import static java.util.Objects.requireNonNull;

/** MLflow's error response body. */
public record ErrorBody(String errorCode, String message) {
    public ErrorBody {
        requireNonNull(errorCode, "errorCode is null");
        requireNonNull(message, "message is null");
    }
}
