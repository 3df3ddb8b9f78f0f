package io.axle.server.search;

import io.axle.server.search.Token.Kind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Recursive descent over MLflow's search grammar:
 *
 * <pre>
 * filter     := [ comparison { AND comparison } ]
 * comparison := identifier operator value
 * identifier := name [ "." key ]          (no whitespace inside)
 * name       := word | `backticked`
 * key        := word-or-number { "." word-or-number } | `backticked` | "quoted" | 'quoted'
 * operator   := = | != | &lt; | &lt;= | &gt; | &gt;= | LIKE | ILIKE | IN | NOT IN
 * value      := 'string' | "string" | number | ( string { , string } )
 * order_by   := identifier [ ASC | DESC ]
 * </pre>
 *
 * Keywords are case-insensitive. Every failure is an INVALID_PARAMETER_VALUE naming the position.
 */
final class Parser {
    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "in", "like", "ilike", "asc", "desc");
    private static final String OPERATORS = "=, !=, <, <=, >, >=, LIKE, ILIKE, IN or NOT IN";

    private final Source source;
    private final List<Token> tokens;
    private int index;

    Parser(Source source) {
        this.source = source;
        this.tokens = Tokenizer.tokenize(source);
    }

    List<Comparison> filter() {
        List<Comparison> comparisons = new ArrayList<>();
        if (peek().kind() == Kind.END) {
            return comparisons;
        }
        comparisons.add(comparison());
        while (true) {
            Token next = peek();
            if (next.kind() == Kind.END) {
                return comparisons;
            }
            if (next.isWord("and")) {
                index++;
                comparisons.add(comparison());
            } else if (next.isWord("or")) {
                throw source.error(next.start(), "OR is not supported; MLflow filters join comparisons with AND only");
            } else {
                throw source.error(next.start(), "expected AND or the end of the filter but found " + next.describe());
            }
        }
    }

    OrderBy orderBy() {
        Identifier identifier = identifier();
        boolean ascending = true;
        Token next = peek();
        if (next.isWord("asc") || next.isWord("desc")) {
            ascending = next.isWord("asc");
            index++;
        } else if (next.kind() != Kind.END) {
            throw source.error(
                    next.start(), "expected ASC, DESC or the end of the clause but found " + next.describe());
        }
        Token end = peek();
        if (end.kind() != Kind.END) {
            throw source.error(end.start(), "expected the end of the clause but found " + end.describe());
        }
        return new OrderBy(source.text(), identifier, ascending);
    }

    private Comparison comparison() {
        Identifier identifier = identifier();
        Token operatorToken = peek();
        Operator operator = operator();
        Value value = value(operator);
        return new Comparison(identifier, operator, operatorToken.start(), value);
    }

    private Identifier identifier() {
        Token first = next();
        boolean word =
                first.kind() == Kind.WORD && !KEYWORDS.contains(first.text().toLowerCase(Locale.ROOT));
        if (!word && first.kind() != Kind.BACKTICK) {
            throw source.error(
                    first.start(),
                    "expected an identifier such as metrics.loss, params.\"my key\" or attributes.status but found "
                            + first.describe());
        }
        if (!(peek().kind() == Kind.DOT && peek().start() == first.end())) {
            return new Identifier(Optional.empty(), nonEmpty(first), first.start());
        }
        Token dot = next();
        Token keyStart = peek();
        boolean quoted = keyStart.kind() == Kind.BACKTICK || keyStart.kind() == Kind.STRING;
        if (keyStart.start() != dot.end() || !(quoted || isKeyPart(keyStart))) {
            throw source.error(dot.end(), "expected a key right after '" + first.text() + ".'");
        }
        index++;
        String key = quoted ? nonEmpty(keyStart) : dottedKey(keyStart);
        return new Identifier(Optional.of(nonEmpty(first)), key, first.start());
    }

    // The rest of an unquoted key such as mlflow.source.git.commit: words and numbers joined by touching dots.
    private String dottedKey(Token start) {
        StringBuilder key = new StringBuilder(start.text());
        Token last = start;
        while (peek().kind() == Kind.DOT && peek().start() == last.end()) {
            Token dot = next();
            Token part = peek();
            if (part.start() != dot.end() || !isKeyPart(part)) {
                throw source.error(dot.end(), "expected the rest of the key after '" + key + ".'");
            }
            index++;
            key.append('.').append(part.text());
            last = part;
        }
        return key.toString();
    }

    private static boolean isKeyPart(Token token) {
        return token.kind() == Kind.WORD
                || (token.kind() == Kind.NUMBER
                        && Character.isDigit(token.text().charAt(0)));
    }

    private String nonEmpty(Token token) {
        if (token.value().isEmpty()) {
            throw source.error(token.start(), "expected a name but found an empty " + token.text());
        }
        return token.value();
    }

    private Operator operator() {
        Token token = next();
        if (token.kind() == Kind.OPERATOR) {
            return switch (token.text()) {
                case "=" -> Operator.EQUAL;
                case "!=" -> Operator.NOT_EQUAL;
                case "<" -> Operator.LESS_THAN;
                case "<=" -> Operator.LESS_THAN_OR_EQUAL;
                case ">" -> Operator.GREATER_THAN;
                case ">=" -> Operator.GREATER_THAN_OR_EQUAL;
                default -> throw operatorExpected(token);
            };
        }
        if (token.isWord("like")) {
            return Operator.LIKE;
        }
        if (token.isWord("ilike")) {
            return Operator.ILIKE;
        }
        if (token.isWord("in")) {
            return Operator.IN;
        }
        if (token.isWord("not")) {
            Token in = next();
            if (!in.isWord("in")) {
                throw source.error(in.start(), "expected IN after NOT but found " + in.describe());
            }
            return Operator.NOT_IN;
        }
        throw operatorExpected(token);
    }

    private RuntimeException operatorExpected(Token token) {
        return source.error(
                token.start(), "expected a comparison operator (" + OPERATORS + ") but found " + token.describe());
    }

    private Value value(Operator operator) {
        Token token = next();
        if (operator.takesList()) {
            if (token.kind() != Kind.LEFT_PARENTHESIS) {
                throw source.error(
                        token.start(),
                        "expected a parenthesised list of quoted strings after " + operator.symbol() + " but found "
                                + token.describe());
            }
            return list(token);
        }
        return switch (token.kind()) {
            case STRING -> new Value.Text(token.value(), token.start());
            case NUMBER -> new Value.Number(number(token), token.start());
            case LEFT_PARENTHESIS ->
                throw source.error(token.start(), "a list of values needs IN or NOT IN, not " + operator.symbol());
            case WORD, BACKTICK ->
                throw source.error(
                        token.start(),
                        "expected a quoted string or a number but found " + token.describe()
                                + " (quote string values: '" + token.value() + "')");
            default -> throw source.error(token.start(), "expected a value but found " + token.describe());
        };
    }

    private Value.TextList list(Token open) {
        List<String> values = new ArrayList<>();
        while (true) {
            Token item = next();
            if (item.kind() != Kind.STRING) {
                throw source.error(item.start(), "expected a quoted string in the list but found " + item.describe());
            }
            values.add(item.value());
            Token separator = next();
            if (separator.kind() == Kind.RIGHT_PARENTHESIS) {
                return new Value.TextList(values, open.start());
            }
            if (separator.kind() != Kind.COMMA) {
                throw source.error(
                        separator.start(), "expected ',' or ')' in the list but found " + separator.describe());
            }
        }
    }

    private BigDecimal number(Token token) {
        try {
            return new BigDecimal(token.text());
        } catch (NumberFormatException | ArithmeticException e) {
            throw source.error(token.start(), "the number " + token.text() + " is malformed or out of range");
        }
    }

    private Token peek() {
        return tokens.get(index);
    }

    // The END token is last and is never consumed past: reading it again keeps returning it.
    private Token next() {
        Token token = tokens.get(index);
        if (token.kind() != Kind.END) {
            index++;
        }
        return token;
    }
}
