package io.axle.server.search;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;

/** One parsed order_by clause: {@code <identifier> [ASC|DESC]}, ascending unless it says DESC. */
public record OrderBy(String text, Identifier identifier, boolean ascending) {
    private static final String DESCRIPTION = "order_by clause";

    public OrderBy {
        requireNonNull(text, "text is null");
        requireNonNull(identifier, "identifier is null");
    }

    public static OrderBy parse(String text) {
        Source source = new Source(DESCRIPTION, requireNonNull(text, "text is null"));
        return new Parser(source).orderBy();
    }

    /** An INVALID_PARAMETER_VALUE error naming this clause, the problem and where it is. */
    public AxleException invalid(int position, String problem) {
        return new Source(DESCRIPTION, text).error(position, problem);
    }
}
