package io.axle.server.tracking;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** One page of results and the token for the next, absent on the last page. */
public record Page<T>(List<T> items, Optional<String> nextPageToken) {
    public Page {
        items = List.copyOf(items);
        requireNonNull(nextPageToken, "nextPageToken is null");
    }
}
