package io.axle.server.search;

import static java.util.Objects.requireNonNull;

/**
 * One token of a filter or order_by clause: {@code text} is the slice of the input from {@code start} (inclusive)
 * to {@code end} (exclusive); {@code value} is what it stands for (a string without its quotes and escapes).
 */
record Token(Kind kind, String text, String value, int start, int end) {
    enum Kind {
        WORD,
        NUMBER,
        STRING,
        BACKTICK,
        DOT,
        OPERATOR,
        LEFT_PARENTHESIS,
        RIGHT_PARENTHESIS,
        COMMA,
        END
    }

    Token {
        requireNonNull(kind, "kind is null");
        requireNonNull(text, "text is null");
        requireNonNull(value, "value is null");
    }

    boolean isWord(String word) {
        return kind == Kind.WORD && text.equalsIgnoreCase(word);
    }

    /** How the token reads in an error message. */
    String describe() {
        return kind == Kind.END ? "the end" : "'" + text + "'";
    }
}
