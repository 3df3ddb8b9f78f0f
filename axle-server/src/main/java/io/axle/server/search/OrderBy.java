package io.axle.server.search;

import static java.util.Objects.requireNonNull;

/** One {@code order_by} clause. */
public record OrderBy(Identifier identifier, boolean ascending) {
    public OrderBy {
        requireNonNull(identifier, "identifier is null");
    }
}
