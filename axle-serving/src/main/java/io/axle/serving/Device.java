package io.axle.serving;

import io.axle.common.AxleException;

/**
 * Where a model runs: the CPU, or CUDA device {@code cudaIndex} (the CUDA runtime's number, which the caller derived
 * from a GPU UUID through its PCI bus id; see {@code axle-gpu}).
 */
public record Device(boolean cuda, int cudaIndex, String describe) {
    public Device {
        if (cuda && cudaIndex < 0) {
            throw AxleException.invalidParameter("a CUDA device number is 0 or more, not " + cudaIndex);
        }
    }

    public static Device cpu() {
        return new Device(false, -1, "cpu");
    }

    public static Device cuda(int index, String why) {
        return new Device(true, index, why);
    }
}
