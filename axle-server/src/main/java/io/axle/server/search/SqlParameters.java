package io.axle.server.search;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The named bind parameters of one SQL statement. Every value and key a request brings reaches SQL through here as
 * a placeholder ({@code :p0}, {@code :p1}, ...), never as text.
 */
public final class SqlParameters {
    private final Map<String, Object> values = new LinkedHashMap<>();

    /** Binds {@code value} under the next free name and returns its placeholder. */
    public String bind(Object value) {
        return bind("p" + values.size(), value);
    }

    /** Binds {@code value} under {@code name}, which must be new, and returns its placeholder. */
    public String bind(String name, Object value) {
        requireNonNull(value, "value is null");
        if (values.putIfAbsent(requireNonNull(name, "name is null"), value) != null) {
            throw new IllegalArgumentException("parameter " + name + " is already bound");
        }
        return ":" + name;
    }

    /** Binds each value and returns the parenthesised list of placeholders, such as {@code (:p3, :p4)}. */
    public String bindAll(List<?> list) {
        if (list.isEmpty()) {
            throw new IllegalArgumentException("list is empty");
        }
        StringJoiner placeholders = new StringJoiner(", ", "(", ")");
        list.forEach(value -> placeholders.add(bind(value)));
        return placeholders.toString();
    }

    /**
     * {@code <column> <operator> <placeholder>}: {@code operand} is a value of the column's type, or for IN and NOT
     * IN a list of them.
     */
    public String condition(String column, Operator operator, Object operand) {
        return switch (operator) {
            case EQUAL -> column + " = " + bind(operand);
            case NOT_EQUAL -> column + " <> " + bind(operand);
            case LESS_THAN -> column + " < " + bind(operand);
            case LESS_THAN_OR_EQUAL -> column + " <= " + bind(operand);
            case GREATER_THAN -> column + " > " + bind(operand);
            case GREATER_THAN_OR_EQUAL -> column + " >= " + bind(operand);
            case LIKE -> column + " LIKE " + bind(operand);
            case ILIKE -> column + " ILIKE " + bind(operand);
            case IN -> column + " IN " + bindAll((List<?>) operand);
            case NOT_IN -> column + " NOT IN " + bindAll((List<?>) operand);
        };
    }

    /** {@code LIMIT :limit OFFSET :offset}, which H2 and PostgreSQL both read, for a page of {@code limit} rows. */
    public String limitOffset(int offset, int limit) {
        if (offset < 0) {
            throw AxleException.invalidParameter("Invalid page offset " + offset + ": it must not be negative");
        }
        if (limit < 1) {
            throw AxleException.invalidParameter("Invalid max_results " + limit + ": it must be positive");
        }
        return "LIMIT " + bind("limit", limit) + " OFFSET " + bind("offset", offset);
    }

    public Map<String, Object> values() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
