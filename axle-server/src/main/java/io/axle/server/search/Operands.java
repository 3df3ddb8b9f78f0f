package io.axle.server.search;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** Checks a comparison's operator and value against what a field allows, in MLflow's terms, and converts the value. */
public final class Operands {
    /** What string fields allow: MLflow's string comparators, with IN and NOT IN for every string field. */
    public static final Set<Operator> STRING_OPERATORS = Collections.unmodifiableSet(EnumSet.of(
            Operator.EQUAL, Operator.NOT_EQUAL, Operator.LIKE, Operator.ILIKE, Operator.IN, Operator.NOT_IN));
    /** What numeric fields (metrics, times) allow. */
    public static final Set<Operator> NUMERIC_OPERATORS = Collections.unmodifiableSet(EnumSet.of(
            Operator.EQUAL,
            Operator.NOT_EQUAL,
            Operator.LESS_THAN,
            Operator.LESS_THAN_OR_EQUAL,
            Operator.GREATER_THAN,
            Operator.GREATER_THAN_OR_EQUAL));

    private Operands() {}

    /** The value of a comparison on a string field: a String, or for IN and NOT IN a list of them. */
    public static Object text(Filter filter, Comparison comparison, String field) {
        requireOperator(filter, comparison, STRING_OPERATORS, field);
        return switch (comparison.value()) {
            case Value.Text text -> {
                boolean pattern = comparison.operator() == Operator.LIKE || comparison.operator() == Operator.ILIKE;
                if (pattern && endsWithLoneBackslash(text.value())) {
                    throw filter.invalid(
                            text.position(),
                            "a LIKE pattern cannot end with a lone backslash (it escapes the next character);"
                                    + " a pattern matches one backslash with two");
                }
                yield text.value();
            }
            case Value.TextList list -> list.values();
            case Value.Number number ->
                throw filter.invalid(
                        number.position(),
                        field + " compares with quoted strings, not " + number.describe() + " (write '" + number.value()
                                + "')");
        };
    }

    /** The value of a comparison on a floating-point field such as a metric. */
    public static double number(Filter filter, Comparison comparison, String field) {
        return numeric(filter, comparison, field).doubleValue();
    }

    /** The value of a comparison on a whole-number field such as a time in milliseconds. */
    public static long wholeNumber(Filter filter, Comparison comparison, String field) {
        BigDecimal value = numeric(filter, comparison, field);
        // More than 19 integer digits cannot be a long; checked first so that 1e999999999 is not expanded.
        if (value.precision() - value.scale() <= 19) {
            try {
                return value.stripTrailingZeros().longValueExact();
            } catch (ArithmeticException e) {
                // not whole, or out of range
            }
        }
        throw filter.invalid(comparison.value().position(), field + " compares with whole numbers, not " + value);
    }

    private static boolean endsWithLoneBackslash(String pattern) {
        int backslashes = 0;
        for (int i = pattern.length() - 1; i >= 0 && pattern.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    public static void requireOperator(Filter filter, Comparison comparison, Set<Operator> allowed, String field) {
        if (!allowed.contains(comparison.operator())) {
            throw filter.invalid(
                    comparison.operatorPosition(),
                    field + " does not support " + comparison.operator().symbol() + "; use "
                            + allowed.stream().map(Operator::symbol).collect(Collectors.joining(", ")));
        }
    }

    private static BigDecimal numeric(Filter filter, Comparison comparison, String field) {
        requireOperator(filter, comparison, NUMERIC_OPERATORS, field);
        return switch (comparison.value()) {
            case Value.Number number -> number.value();
            case Value.Text text ->
                throw filter.invalid(text.position(), field + " compares with numbers, not " + text.describe());
            case Value.TextList list ->
                throw filter.invalid(list.position(), field + " compares with numbers, not a list");
        };
    }
}
