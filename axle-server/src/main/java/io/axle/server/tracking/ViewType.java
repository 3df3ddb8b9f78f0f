package io.axle.server.tracking;

import io.axle.common.AxleException;
import java.util.Locale;

/** Which lifecycle stages a search returns, as MLflow's {@code run_view_type} / {@code view_type}. */
public enum ViewType {
    ACTIVE_ONLY,
    DELETED_ONLY,
    ALL;

    public static ViewType parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw AxleException.invalidParameter(
                    "Invalid view type '" + value + "': expected ACTIVE_ONLY, DELETED_ONLY or ALL");
        }
    }
}
