package io.axle.server.search;

import io.axle.server.search.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a filter or order_by clause into tokens. Whitespace separates tokens and is dropped; the parser checks
 * that the parts of one identifier touch. Strings take single or double quotes; inside them a doubled quote or a
 * backslash before the quote or a backslash stands for that character, and any other backslash stays as written
 * (so {@code \%} and {@code \_} reach LIKE as escapes).
 */
final class Tokenizer {
    private final Source source;
    private final String text;
    private final List<Token> tokens = new ArrayList<>();
    private int position;

    private Tokenizer(Source source) {
        this.source = source;
        this.text = source.text();
    }

    static List<Token> tokenize(Source source) {
        Tokenizer tokenizer = new Tokenizer(source);
        tokenizer.run();
        return List.copyOf(tokenizer.tokens);
    }

    private void run() {
        while (true) {
            while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
                position++;
            }
            if (position >= text.length()) {
                tokens.add(new Token(Kind.END, "", "", text.length(), text.length()));
                return;
            }
            next();
        }
    }

    private void next() {
        char current = text.charAt(position);
        switch (current) {
            case '\'', '"' -> string(current);
            case '`' -> backtick();
            case '(' -> single(Kind.LEFT_PARENTHESIS);
            case ')' -> single(Kind.RIGHT_PARENTHESIS);
            case ',' -> single(Kind.COMMA);
            case '<', '>', '=', '!' -> operator();
            default -> {
                if (startsNumber()) {
                    number();
                } else if (current == '.') {
                    single(Kind.DOT);
                } else if (isWordCharacter(current)) {
                    word(position);
                } else {
                    throw source.error(position, "unexpected character '" + printable(current) + "'");
                }
            }
        }
    }

    private void single(Kind kind) {
        String slice = text.substring(position, position + 1);
        tokens.add(new Token(kind, slice, slice, position, position + 1));
        position++;
    }

    private void operator() {
        int start = position;
        while (position < text.length() && "<>=!".indexOf(text.charAt(position)) >= 0) {
            position++;
        }
        String slice = text.substring(start, position);
        tokens.add(new Token(Kind.OPERATOR, slice, slice, start, position));
    }

    private void string(char quote) {
        int start = position;
        StringBuilder value = new StringBuilder();
        position++;
        while (true) {
            if (position >= text.length()) {
                throw source.error(start, "unterminated string (a closing " + quote + " is missing)");
            }
            char current = text.charAt(position);
            if (current == quote) {
                if (position + 1 < text.length() && text.charAt(position + 1) == quote) {
                    value.append(quote);
                    position += 2;
                    continue;
                }
                position++;
                break;
            }
            if (current == '\\' && position + 1 < text.length()) {
                char escaped = text.charAt(position + 1);
                if (escaped == quote || escaped == '\\') {
                    value.append(escaped);
                    position += 2;
                    continue;
                }
            }
            if (current == '\0') {
                throw source.error(position, "strings cannot contain the NUL character");
            }
            value.append(current);
            position++;
        }
        tokens.add(new Token(Kind.STRING, text.substring(start, position), value.toString(), start, position));
    }

    private void backtick() {
        int start = position;
        int close = text.indexOf('`', start + 1);
        if (close < 0) {
            throw source.error(start, "unterminated name (a closing ` is missing)");
        }
        String value = text.substring(start + 1, close);
        if (value.indexOf('\0') >= 0) {
            throw source.error(start, "names cannot contain the NUL character");
        }
        position = close + 1;
        tokens.add(new Token(Kind.BACKTICK, text.substring(start, position), value, start, position));
    }

    // A number starts with a digit, a sign before a digit, or a dot before a digit that does not continue a name.
    private boolean startsNumber() {
        char current = text.charAt(position);
        if (isDigit(position)) {
            return true;
        }
        if (current == '-' || current == '+') {
            return isDigit(position + 1) || (charAt(position + 1) == '.' && isDigit(position + 2));
        }
        return current == '.' && isDigit(position + 1) && !continuesName();
    }

    private boolean continuesName() {
        return position > 0
                && (isWordCharacter(text.charAt(position - 1)) || "`\"'".indexOf(text.charAt(position - 1)) >= 0);
    }

    private void number() {
        int start = position;
        boolean signed = text.charAt(position) == '-' || text.charAt(position) == '+';
        if (signed) {
            position++;
        }
        skipDigits();
        if (charAt(position) == '.') {
            position++;
            skipDigits();
        }
        if ((charAt(position) == 'e' || charAt(position) == 'E')
                && (isDigit(position + 1)
                        || ((charAt(position + 1) == '-' || charAt(position + 1) == '+') && isDigit(position + 2)))) {
            position += 2;
            skipDigits();
        }
        if (position < text.length() && isWordCharacter(text.charAt(position))) {
            if (signed || text.substring(start, position).contains(".")) {
                throw source.error(start, "malformed number '" + text.substring(start, wordEnd(position)) + "'");
            }
            // A name that happens to start with digits, such as a key "2nd_loss".
            position = start;
            word(start);
            return;
        }
        String slice = text.substring(start, position);
        tokens.add(new Token(Kind.NUMBER, slice, slice, start, position));
    }

    private void word(int start) {
        position = wordEnd(start);
        String slice = text.substring(start, position);
        tokens.add(new Token(Kind.WORD, slice, slice, start, position));
    }

    private int wordEnd(int from) {
        int end = from;
        while (end < text.length() && isWordCharacter(text.charAt(end))) {
            end++;
        }
        return end;
    }

    private void skipDigits() {
        while (isDigit(position)) {
            position++;
        }
    }

    private boolean isDigit(int index) {
        char character = charAt(index);
        return character >= '0' && character <= '9';
    }

    private char charAt(int index) {
        return index < text.length() ? text.charAt(index) : '\0';
    }

    private static boolean isWordCharacter(char character) {
        return character == '_' || Character.isLetterOrDigit(character);
    }

    private static String printable(char character) {
        return Character.isISOControl(character) || Character.isSurrogate(character)
                ? String.format("\\u%04x", (int) character)
                : String.valueOf(character);
    }
}
