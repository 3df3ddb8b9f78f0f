package io.axle.server.search;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;

/** The text being parsed and what to call it in an error: "filter" or "order_by clause". */
record Source(String description, String text) {
    Source {
        requireNonNull(description, "description is null");
        requireNonNull(text, "text is null");
    }

    AxleException error(int position, String problem) {
        return AxleException.invalidParameter(
                "Invalid " + description + " '" + text + "': " + problem + " at position " + position);
    }
}
