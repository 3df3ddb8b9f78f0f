package io.axle.server.search;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.List;

/** The right-hand side of a comparison, with the position where it starts in the filter. */
public sealed interface Value {
    int position();

    /** How the value is described in an error message. */
    String describe();

    /** A quoted string, without its quotes and escapes. */
    record Text(String value, int position) implements Value {
        public Text {
            requireNonNull(value, "value is null");
        }

        @Override
        public String describe() {
            return "the string '" + value + "'";
        }
    }

    /** A number as written: integer, decimal or scientific notation, maybe negative. */
    record Number(BigDecimal value, int position) implements Value {
        public Number {
            requireNonNull(value, "value is null");
        }

        @Override
        public String describe() {
            return "the number " + value;
        }
    }

    /** A non-empty parenthesised list of quoted strings, the operand of IN and NOT IN. */
    record TextList(List<String> values, int position) implements Value {
        public TextList {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("values is empty");
            }
        }

        @Override
        public String describe() {
            return "a list";
        }
    }
}
