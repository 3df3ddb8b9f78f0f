package io.axle.server.search;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import java.util.List;

/**
 * A parsed MLflow filter: comparisons joined by AND. Which entities, keys, operators and value types are allowed is
 * for the caller to decide (runs, experiments and the model registry differ); {@link #invalid} reports a problem
 * at a position in the same form as a syntax error.
 */
public record Filter(String text, List<Comparison> comparisons) {
    private static final String DESCRIPTION = "filter";

    public Filter {
        requireNonNull(text, "text is null");
        comparisons = List.copyOf(comparisons);
    }

    /** Parses {@code text}; an empty or blank text is a filter without comparisons. */
    public static Filter parse(String text) {
        Source source = new Source(DESCRIPTION, requireNonNull(text, "text is null"));
        return new Filter(text, new Parser(source).filter());
    }

    /** An INVALID_PARAMETER_VALUE error naming this filter, the problem and where it is. */
    public AxleException invalid(int position, String problem) {
        return new Source(DESCRIPTION, text).error(position, problem);
    }
}
