package io.axle.gpu.placement;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;

/** No GPU (or not enough of them) has the memory asked for; the message names each GPU's free memory. */
public final class NothingFitsException extends AxleException {
    public NothingFitsException(String message) {
        super(ErrorCode.RESOURCE_CONFLICT, message);
    }
}
