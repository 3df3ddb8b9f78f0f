package io.axle.data.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * YAML as DVC's writer (ruamel.yaml, round-trip, block style) writes dvc.lock: lists at their key's indent, strings
 * plain unless YAML needs quotes and then single-quoted, and long plain strings folded past column 80, so that a lock
 * file Axle writes is byte for byte the one DVC writes.
 */
final class LockYaml {
    /** ruamel's default {@code best_width}. */
    private static final int WIDTH = 80;

    private static final Pattern NUMBER_LIKE = Pattern.compile(
            "[-+]?(\\d[\\d_]*(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?|0x[0-9a-fA-F_]+|0o[0-7_]+|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");
    private static final Pattern SPECIAL = Pattern.compile("~|null|Null|NULL|true|True|TRUE|false|False|FALSE|=|<<");

    private LockYaml() {}

    static String write(JsonNode root) {
        StringBuilder out = new StringBuilder();
        mapping(root, 0, out);
        return out.toString();
    }

    private static void mapping(JsonNode map, int indent, StringBuilder out) {
        for (Map.Entry<String, JsonNode> entry : map.properties()) {
            out.repeat(" ", indent);
            value(scalar(entry.getKey(), indent), entry.getValue(), indent, out);
        }
    }

    private static void value(String key, JsonNode value, int indent, StringBuilder out) {
        if (value.isObject() && !value.isEmpty()) {
            out.append(key).append(":\n");
            mapping(value, indent + 2, out);
        } else if (value.isArray() && !value.isEmpty()) {
            out.append(key).append(":\n");
            sequence(value, indent, out);
        } else if (value.isNull()) {
            // ruamel writes None as a key with nothing after it
            out.append(key).append(":\n");
        } else {
            int column = indent + key.length() + 2;
            out.append(key)
                    .append(": ")
                    .append(inline(value, column, indent + 2))
                    .append('\n');
        }
    }

    private static void sequence(JsonNode list, int indent, StringBuilder out) {
        for (JsonNode item : list) {
            out.repeat(" ", indent).append("- ");
            if (item.isObject() && !item.isEmpty()) {
                boolean first = true;
                for (Map.Entry<String, JsonNode> entry : item.properties()) {
                    if (!first) {
                        out.repeat(" ", indent + 2);
                    }
                    first = false;
                    value(scalar(entry.getKey(), indent + 2), entry.getValue(), indent + 2, out);
                }
            } else if (item.isArray() && !item.isEmpty()) {
                out.append('\n');
                sequence(item, indent + 2, out);
            } else {
                out.append(inline(item, indent + 2, indent + 2)).append('\n');
            }
        }
    }

    private static String inline(JsonNode value, int column, int continuationIndent) {
        if (value.isObject()) {
            return "{}";
        }
        if (value.isArray()) {
            return "[]";
        }
        if (value.isNull()) {
            return "null";
        }
        if (value.isBoolean()) {
            return value.booleanValue() ? "true" : "false";
        }
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue().toString();
        }
        if (value.isNumber()) {
            return pythonFloat(value.doubleValue());
        }
        String text = value.asText();
        return plainAllowed(text) ? fold(text, column, continuationIndent) : quoted(text);
    }

    private static String scalar(String key, int indent) {
        return plainAllowed(key) ? key : quoted(key);
    }

    /** Single quotes, unless the text has a single quote and no double one: ruamel then uses double quotes. */
    private static String quoted(String text) {
        if (text.contains("'") && !text.contains("\"")) {
            return "\"" + text.replace("\\", "\\\\") + "\"";
        }
        return "'" + text.replace("'", "''") + "'";
    }

    /**
     * ruamel's {@code write_plain}: a word that would pass the width starts a new line (the space before it stays at
     * the end of the line), and so does a single space met at or past the width.
     */
    private static String fold(String text, int startColumn, int continuationIndent) {
        StringBuilder folded = new StringBuilder();
        int column = startColumn;
        int i = 0;
        while (i < text.length()) {
            int end = i;
            if (text.charAt(i) == ' ') {
                while (end < text.length() && text.charAt(end) == ' ') {
                    end++;
                }
                if (end - i == 1 && column >= WIDTH) {
                    folded.append('\n').repeat(" ", continuationIndent);
                    column = continuationIndent;
                } else {
                    folded.append(text, i, end);
                    column += end - i;
                }
            } else {
                while (end < text.length() && text.charAt(end) != ' ') {
                    end++;
                }
                int length = text.codePointCount(i, end);
                if (length + column > WIDTH && column > continuationIndent) {
                    folded.append('\n').repeat(" ", continuationIndent);
                    column = continuationIndent;
                }
                folded.append(text, i, end);
                column += length;
            }
            i = end;
        }
        return folded.toString();
    }

    private static boolean plainAllowed(String text) {
        if (text.isEmpty() || text.startsWith(" ") || text.endsWith(" ") || text.endsWith(":")) {
            return false;
        }
        if (NUMBER_LIKE.matcher(text).matches() || SPECIAL.matcher(text).matches()) {
            return false;
        }
        char first = text.charAt(0);
        if ("#,[]{}&*!|>'\"%@`".indexOf(first) >= 0) {
            return false;
        }
        if ((first == '-' || first == '?' || first == ':') && (text.length() == 1 || text.charAt(1) == ' ')) {
            return false;
        }
        if (text.startsWith("---") || text.startsWith("...")) {
            return false;
        }
        if (text.contains(": ") || text.contains(" #") || text.contains("\t")) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** Python's {@code repr(float)}, which ruamel writes as it is: {@code 0.2}, {@code 100.0}, {@code 1e-05}. */
    static String pythonFloat(double value) {
        if (Double.isNaN(value)) {
            return ".nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? ".inf" : "-.inf";
        }
        if (value == 0) {
            return (1 / value < 0) ? "-0.0" : "0.0";
        }
        BigDecimal decimal = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        int exponent = decimal.precision() - decimal.scale() - 1;
        if (exponent >= -4 && exponent < 16) {
            String plain = decimal.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String digits = decimal.unscaledValue().abs().toString();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String sign = value < 0 ? "-" : "";
        String exponentText = String.format("%s%02d", exponent < 0 ? "-" : "+", Math.abs(exponent));
        return sign + mantissa + "e" + exponentText;
    }
}
