package io.axle.server.tracking;

import io.axle.common.AxleException;

/** MLflow's run statuses. */
enum RunStatus {
    RUNNING,
    SCHEDULED,
    FINISHED,
    FAILED,
    KILLED;

    static RunStatus parse(String value) {
        try {
            return valueOf(value);
        } catch (IllegalArgumentException e) {
            throw AxleException.invalidParameter(
                    "Invalid run status '" + value + "': expected one of RUNNING, SCHEDULED, FINISHED, FAILED, KILLED");
        }
    }
}
