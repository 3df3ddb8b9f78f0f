package io.axle.server.deploy.render;

import io.axle.common.AxleException;

/**
 * A rolling update as admission chose it: {@code maxSurge 0} when the GPU budget only fits if each old replica stops
 * before its new one starts.
 */
public record RolloutStrategy(int maxSurge, int maxUnavailable) {
    public RolloutStrategy {
        if (maxSurge < 0 || maxUnavailable < 0) {
            throw AxleException.invalidParameter(
                    "maxSurge (" + maxSurge + ") and maxUnavailable (" + maxUnavailable + ") cannot be negative");
        }
        if (maxSurge == 0 && maxUnavailable == 0) {
            throw AxleException.invalidParameter(
                    "maxSurge and maxUnavailable cannot both be 0: a rollout could never replace a pod");
        }
    }

    /** One extra replica during a rollout and none missing. */
    public static RolloutStrategy surge() {
        return new RolloutStrategy(1, 0);
    }

    /** No extra replica: each old replica stops before its new one starts. */
    public static RolloutStrategy withoutSurge() {
        return new RolloutStrategy(0, 1);
    }
}
