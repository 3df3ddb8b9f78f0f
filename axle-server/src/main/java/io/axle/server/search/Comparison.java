package io.axle.server.search;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** One clause of a filter: {@code <identifier> <operator> <value>}. */
public record Comparison(Identifier identifier, Operator operator, Value value) {
    public Comparison {
        requireNonNull(identifier, "identifier is null");
        requireNonNull(operator, "operator is null");
        requireNonNull(value, "value is null");
    }

    /** A literal of a filter, with its position in the text. */
    public sealed interface Value {
        int position();
    }

    public record Text(String text, int position) implements Value {
        public Text {
            requireNonNull(text, "text is null");
        }
    }

    /** A number as written; {@code value} is its double value. */
    public record Number(String literal, double value, int position) implements Value {
        public Number {
            requireNonNull(literal, "literal is null");
        }
    }

    public record TextList(List<String> texts, int position) implements Value {
        public TextList {
            texts = List.copyOf(texts);
        }
    }
}
