package io.axle.server.search;

import io.axle.common.AxleException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds SQL conditions from parsed comparisons; every value becomes a named bind parameter, never SQL text. */
public final class SqlClauses {
    private final Map<String, Object> binds = new LinkedHashMap<>();

    /** Binds {@code value} and returns its placeholder. */
    public String bind(Object value) {
        String name = "p" + binds.size();
        binds.put(name, value);
        return ":" + name;
    }

    public Map<String, Object> binds() {
        return binds;
    }

    /** A condition on a text column: =, !=, LIKE, ILIKE, IN, NOT IN against quoted strings. */
    public String text(String column, Comparison comparison, String what) {
        Operator operator = comparison.operator();
        return switch (operator) {
            case EQUAL, NOT_EQUAL -> column + " " + operator.sql() + " " + bind(text(comparison, what));
            case LIKE -> column + " LIKE " + bind(text(comparison, what));
            case ILIKE -> "LOWER(" + column + ") LIKE LOWER(" + bind(text(comparison, what)) + ")";
            case IN, NOT_IN -> {
                List<String> values = ((Comparison.TextList) comparison.value()).texts();
                StringBuilder list = new StringBuilder();
                for (String value : values) {
                    list.append(list.isEmpty() ? "" : ", ").append(bind(value));
                }
                yield column + (operator == Operator.IN ? " IN (" : " NOT IN (") + list + ")";
            }
            case GREATER, GREATER_OR_EQUAL, LESS, LESS_OR_EQUAL ->
                throw invalid(
                        comparison,
                        "'" + operator.text() + "' does not compare " + what
                                + "; use =, !=, LIKE, ILIKE, IN or NOT IN");
        };
    }

    /** A condition on a numeric column: =, !=, >, >=, <, <= against a number. */
    public String number(String column, Comparison comparison, String what) {
        Operator operator = comparison.operator();
        if (!operator.isNumeric()) {
            throw invalid(
                    comparison, "'" + operator.text() + "' does not compare " + what + "; use =, !=, >, >=, < or <=");
        }
        if (!(comparison.value() instanceof Comparison.Number number)) {
            throw invalid(comparison, what + " compares with a number, not a quoted string");
        }
        return column + " " + operator.sql() + " " + bind(number.value());
    }

    /** A condition on an integer column (milliseconds, ids): the number must be whole. */
    public String integer(String column, Comparison comparison, String what) {
        Operator operator = comparison.operator();
        if (!operator.isNumeric()) {
            throw invalid(
                    comparison, "'" + operator.text() + "' does not compare " + what + "; use =, !=, >, >=, < or <=");
        }
        if (!(comparison.value() instanceof Comparison.Number number)
                || number.value() != Math.rint(number.value())
                || Math.abs(number.value()) > 9.0e18) {
            throw invalid(comparison, what + " compares with a whole number");
        }
        return column + " " + operator.sql() + " " + bind((long) number.value());
    }

    private static String text(Comparison comparison, String what) {
        if (comparison.value() instanceof Comparison.Text text) {
            return text.text();
        }
        throw invalid(comparison, what + " compares with a quoted string such as 'value'");
    }

    public static AxleException invalid(Comparison comparison, String problem) {
        Identifier identifier = comparison.identifier();
        return AxleException.invalidParameter("Invalid filter clause on " + identifier.entity() + "." + identifier.key()
                + " at position " + identifier.position() + ": " + problem + ".");
    }
}
