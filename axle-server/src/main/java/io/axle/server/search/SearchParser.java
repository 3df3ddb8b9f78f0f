package io.axle.server.search;

import io.axle.common.AxleException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses MLflow's search filters ({@code metrics.loss < 0.2 and params.lr = '0.01'}) and order-by clauses
 * ({@code metrics.loss DESC}). Which keys and operators an entity allows is for the SQL translators to judge;
 * this is the grammar only. Every failure is an INVALID_PARAMETER_VALUE naming the position (counted from 0).
 */
public final class SearchParser {
    private static final Map<String, String> ENTITY_ALIASES = Map.ofEntries(
            Map.entry("metric", Identifier.METRICS),
            Map.entry("metrics", Identifier.METRICS),
            Map.entry("param", Identifier.PARAMS),
            Map.entry("params", Identifier.PARAMS),
            Map.entry("parameter", Identifier.PARAMS),
            Map.entry("parameters", Identifier.PARAMS),
            Map.entry("tag", Identifier.TAGS),
            Map.entry("tags", Identifier.TAGS),
            Map.entry("attribute", Identifier.ATTRIBUTES),
            Map.entry("attributes", Identifier.ATTRIBUTES),
            Map.entry("attr", Identifier.ATTRIBUTES),
            Map.entry("run", Identifier.ATTRIBUTES),
            Map.entry("dataset", Identifier.DATASETS),
            Map.entry("datasets", Identifier.DATASETS));

    private final String text;
    private final String kind;
    private int position;

    private SearchParser(String text, String kind) {
        this.text = text;
        this.kind = kind;
    }

    /** The clauses of a filter, all joined by AND; an empty or blank filter has none. */
    public static List<Comparison> parseFilter(String filter) {
        SearchParser parser = new SearchParser(filter, "filter");
        List<Comparison> comparisons = new ArrayList<>();
        parser.skipSpaces();
        if (parser.atEnd()) {
            return comparisons;
        }
        while (true) {
            comparisons.add(parser.comparison());
            parser.skipSpaces();
            if (parser.atEnd()) {
                return comparisons;
            }
            int start = parser.position;
            String word = parser.word();
            if (word.equalsIgnoreCase("or")) {
                throw parser.error(start, "OR is not supported; join clauses with AND");
            }
            if (!word.equalsIgnoreCase("and")) {
                throw parser.error(start, "expected AND or the end of the filter");
            }
            parser.skipSpaces();
        }
    }

    public static OrderBy parseOrderBy(String clause) {
        SearchParser parser = new SearchParser(clause, "order_by clause");
        parser.skipSpaces();
        Identifier identifier = parser.identifier();
        parser.skipSpaces();
        boolean ascending = true;
        if (!parser.atEnd()) {
            int start = parser.position;
            String direction = parser.word();
            if (direction.equalsIgnoreCase("desc")) {
                ascending = false;
            } else if (!direction.equalsIgnoreCase("asc")) {
                throw parser.error(start, "expected ASC or DESC");
            }
            parser.skipSpaces();
            if (!parser.atEnd()) {
                throw parser.error(parser.position, "expected the end of the clause");
            }
        }
        return new OrderBy(identifier, ascending);
    }

    private Comparison comparison() {
        Identifier identifier = identifier();
        skipSpaces();
        Operator operator = operator();
        skipSpaces();
        Comparison.Value value = operator == Operator.IN || operator == Operator.NOT_IN ? list() : literal();
        return new Comparison(identifier, operator, value);
    }

    Identifier identifier() {
        int start = position;
        if (atEnd()) {
            throw error(start, "expected an identifier such as metrics.loss");
        }
        if (isQuote(peek())) {
            return new Identifier(Identifier.ATTRIBUTES, quoted(), start);
        }
        String first = word();
        if (first.isEmpty()) {
            throw error(start, "expected an identifier such as metrics.loss");
        }
        if (atEnd() || peek() != '.') {
            return new Identifier(Identifier.ATTRIBUTES, first, start);
        }
        String entity = ENTITY_ALIASES.get(first.toLowerCase(Locale.ROOT));
        if (entity == null) {
            throw error(
                    start,
                    "invalid entity type '" + first + "'; expected metrics, params, tags, attributes or datasets");
        }
        position++;
        if (!atEnd() && isQuote(peek())) {
            return new Identifier(entity, quoted(), start);
        }
        int keyStart = position;
        while (!atEnd() && !Character.isWhitespace(peek()) && "=!<>()',\"".indexOf(peek()) < 0) {
            position++;
        }
        if (position == keyStart) {
            throw error(keyStart, "expected a key after '" + first + ".'");
        }
        return new Identifier(entity, text.substring(keyStart, position), start);
    }

    private Operator operator() {
        int start = position;
        if (atEnd()) {
            throw error(start, "expected a comparison operator (=, !=, >, >=, <, <=, LIKE, ILIKE, IN, NOT IN)");
        }
        char c = peek();
        if (c == '=') {
            position++;
            if (!atEnd() && peek() == '=') {
                position++;
            }
            return Operator.EQUAL;
        }
        if (c == '!' && next() == '=') {
            position += 2;
            return Operator.NOT_EQUAL;
        }
        if (c == '<' && next() == '>') {
            position += 2;
            return Operator.NOT_EQUAL;
        }
        if (c == '>' || c == '<') {
            position++;
            boolean orEqual = !atEnd() && peek() == '=';
            if (orEqual) {
                position++;
            }
            if (!atEnd() && "<>=!".indexOf(peek()) >= 0) {
                throw error(start, "expected a comparison operator, not '" + text.substring(start, position + 1) + "'");
            }
            if (c == '>') {
                return orEqual ? Operator.GREATER_OR_EQUAL : Operator.GREATER;
            }
            return orEqual ? Operator.LESS_OR_EQUAL : Operator.LESS;
        }
        String word = word().toUpperCase(Locale.ROOT);
        switch (word) {
            case "LIKE":
                return Operator.LIKE;
            case "ILIKE":
                return Operator.ILIKE;
            case "IN":
                return Operator.IN;
            case "NOT":
                skipSpaces();
                int inStart = position;
                if (word().equalsIgnoreCase("in")) {
                    return Operator.NOT_IN;
                }
                throw error(inStart, "expected IN after NOT");
            default:
                throw error(start, "expected a comparison operator (=, !=, >, >=, <, <=, LIKE, ILIKE, IN, NOT IN)");
        }
    }

    private Comparison.Value literal() {
        int start = position;
        if (atEnd()) {
            throw error(start, "expected a value");
        }
        if (isQuote(peek()) && peek() != '`') {
            return new Comparison.Text(quoted(), start);
        }
        while (!atEnd() && !Character.isWhitespace(peek()) && peek() != ')' && peek() != ',') {
            position++;
        }
        String literal = text.substring(start, position);
        if (literal.isEmpty()) {
            throw error(start, "expected a value");
        }
        try {
            double value = Double.parseDouble(literal);
            if (literal.chars().anyMatch(Character::isLetter) && !literal.matches("[-+]?[0-9.]+[eE][-+]?[0-9]+")) {
                throw new NumberFormatException(literal);
            }
            return new Comparison.Number(literal, value, start);
        } catch (NumberFormatException e) {
            throw error(
                    start, "expected a number or a quoted string, not '" + literal + "' (quote strings with ' or \")");
        }
    }

    private Comparison.TextList list() {
        int start = position;
        if (atEnd() || peek() != '(') {
            throw error(start, "expected a parenthesised list of quoted strings, such as ('a', 'b')");
        }
        position++;
        List<String> values = new ArrayList<>();
        while (true) {
            skipSpaces();
            int valueStart = position;
            if (atEnd() || !isQuote(peek()) || peek() == '`') {
                throw error(valueStart, "expected a quoted string in the list");
            }
            values.add(quoted());
            skipSpaces();
            if (atEnd()) {
                throw error(position, "expected ',' or ')' to continue the list");
            }
            char c = text.charAt(position++);
            if (c == ')') {
                return new Comparison.TextList(values, start);
            }
            if (c != ',') {
                throw error(position - 1, "expected ',' or ')' to continue the list");
            }
        }
    }

    /** A string in single, double or back quotes; a doubled quote or a backslash escapes the quote character. */
    private String quoted() {
        int start = position;
        char quote = text.charAt(position++);
        StringBuilder value = new StringBuilder();
        while (!atEnd()) {
            char c = text.charAt(position++);
            if (c == '\\' && !atEnd() && (peek() == quote || peek() == '\\')) {
                value.append(text.charAt(position++));
            } else if (c == quote) {
                if (!atEnd() && peek() == quote) {
                    value.append(quote);
                    position++;
                } else {
                    return value.toString();
                }
            } else {
                value.append(c);
            }
        }
        throw error(start, "unterminated quoted string");
    }

    private String word() {
        int start = position;
        while (!atEnd() && (Character.isLetterOrDigit(peek()) || peek() == '_')) {
            position++;
        }
        return text.substring(start, position);
    }

    private void skipSpaces() {
        while (!atEnd() && Character.isWhitespace(peek())) {
            position++;
        }
    }

    private boolean atEnd() {
        return position >= text.length();
    }

    private char peek() {
        return text.charAt(position);
    }

    private char next() {
        return position + 1 < text.length() ? text.charAt(position + 1) : '\0';
    }

    private static boolean isQuote(char c) {
        return c == '\'' || c == '"' || c == '`';
    }

    private AxleException error(int at, String problem) {
        String shown = text.length() > 200 ? text.substring(0, 200) + "..." : text;
        return AxleException.invalidParameter(
                "Invalid " + kind + " '" + shown + "': " + problem + " at position " + at + ".");
    }
}
