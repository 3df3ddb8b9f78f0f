package io.axle.gpu;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;

/**
 * No GPU can be read on this host: no NVIDIA library, no driver loaded, or no device. The CLI answers it with
 * one line and exit code {@link #EXIT_CODE}, distinct from other failures, so scripts can tell "no GPU here"
 * from "something broke".
 */
public final class GpuUnavailableException extends AxleException {
    public static final int EXIT_CODE = 3;

    public GpuUnavailableException(String message) {
        super(ErrorCode.TEMPORARILY_UNAVAILABLE, message);
    }

    public GpuUnavailableException(String message, Throwable cause) {
        super(ErrorCode.TEMPORARILY_UNAVAILABLE, message, cause);
    }
}
