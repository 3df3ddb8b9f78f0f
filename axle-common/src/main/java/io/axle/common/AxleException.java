package io.axle.common;

import static java.util.Objects.requireNonNull;

/** The one unchecked exception Axle throws for a failure a user can act on. */
public class AxleException extends RuntimeException {
    private final ErrorCode errorCode;

    public AxleException(ErrorCode errorCode, String message) {
        super(requireNonNull(message, "message is null"));
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
    }

    public AxleException(ErrorCode errorCode, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    public static AxleException invalidParameter(String message) {
        return new AxleException(ErrorCode.INVALID_PARAMETER_VALUE, message);
    }

    public static AxleException notFound(String message) {
        return new AxleException(ErrorCode.RESOURCE_DOES_NOT_EXIST, message);
    }

    public static AxleException alreadyExists(String message) {
        return new AxleException(ErrorCode.RESOURCE_ALREADY_EXISTS, message);
    }
}
