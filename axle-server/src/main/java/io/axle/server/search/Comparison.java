package io.axle.server.search;

import static java.util.Objects.requireNonNull;

/** One {@code <identifier> <operator> <value>} of a filter. */
public record Comparison(Identifier identifier, Operator operator, int operatorPosition, Value value) {
    public Comparison {
        requireNonNull(identifier, "identifier is null");
        requireNonNull(operator, "operator is null");
        requireNonNull(value, "value is null");
    }
}
