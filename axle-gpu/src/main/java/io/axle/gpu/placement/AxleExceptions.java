package io.axle.gpu.placement;

import io.axle.common.AxleException;

final class AxleExceptions {
    private AxleExceptions() {}

    static AxleException negative(String what, long value) {
        return AxleException.invalidParameter("The " + what + " cannot be negative (" + value + ")");
    }
}
