package io.axle.common;

/**
 * The categories of failure Axle reports, named and numbered as MLflow's REST API names them so that
 * MLflow clients map them to their own exceptions.
 */
public enum ErrorCode {
    INTERNAL_ERROR(500),
    TEMPORARILY_UNAVAILABLE(503),
    IO_ERROR(500),
    BAD_REQUEST(400),
    MALFORMED_REQUEST(400),
    INVALID_PARAMETER_VALUE(400),
    INVALID_STATE(400),
    RESOURCE_DOES_NOT_EXIST(404),
    RESOURCE_ALREADY_EXISTS(400),
    RESOURCE_CONFLICT(409),
    ENDPOINT_NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    PERMISSION_DENIED(403),
    UNAUTHENTICATED(401),
    REQUEST_LIMIT_EXCEEDED(429),
    REQUEST_TOO_LARGE(413),
    DEADLINE_EXCEEDED(504),
    UNSUPPORTED_MEDIA_TYPE(415),
    NOT_IMPLEMENTED(501);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
