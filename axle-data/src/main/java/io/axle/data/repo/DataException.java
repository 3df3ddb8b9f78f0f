package io.axle.data.repo;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;

/** A failure of an {@code axle data} operation, carrying the exit code DVC uses for the same failure. */
public final class DataException extends AxleException {
    /** DVC's exit codes, so scripts written for {@code dvc} read {@code axle data} the same way. */
    public enum Kind {
        COMMAND_FAILED(1, ErrorCode.INVALID_STATE),
        CONFIG(251, ErrorCode.INVALID_PARAMETER_VALUE),
        NOT_A_REPOSITORY(253, ErrorCode.RESOURCE_DOES_NOT_EXIST),
        BAD_ARGUMENTS(254, ErrorCode.INVALID_PARAMETER_VALUE),
        OTHER(255, ErrorCode.INTERNAL_ERROR);

        private final int exitCode;
        private final ErrorCode errorCode;

        Kind(int exitCode, ErrorCode errorCode) {
            this.exitCode = exitCode;
            this.errorCode = errorCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private final Kind kind;

    public DataException(Kind kind, String message) {
        super(requireNonNull(kind, "kind is null").errorCode, message);
        this.kind = kind;
    }

    public DataException(Kind kind, String message, Throwable cause) {
        super(requireNonNull(kind, "kind is null").errorCode, message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public int exitCode() {
        return kind.exitCode;
    }

    public static DataException failed(String message) {
        return new DataException(Kind.COMMAND_FAILED, message);
    }

    public static DataException badArguments(String message) {
        return new DataException(Kind.BAD_ARGUMENTS, message);
    }

    public static DataException config(String message) {
        return new DataException(Kind.CONFIG, message);
    }
}
