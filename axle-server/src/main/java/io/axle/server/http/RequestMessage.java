package io.axle.server.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One request's fields, from a JSON body or a query string, read with protobuf's leniency (an int64 may come as a
 * number or a numeric string) and MLflow's error messages when a field is missing or of the wrong type.
 */
public final class RequestMessage {
    private final ObjectNode fields;
    private final String path;

    private RequestMessage(ObjectNode fields, String path) {
        this.fields = requireNonNull(fields, "fields is null");
        this.path = requireNonNull(path, "path is null");
    }

    public static RequestMessage of(JsonNode body) {
        if (!body.isObject()) {
            throw new AxleException(
                    ErrorCode.MALFORMED_REQUEST, "The request body must be a JSON object, not " + describe(body));
        }
        return new RequestMessage((ObjectNode) body, "");
    }

    /** A GET request's query parameters; a parameter given more than once becomes a list. */
    public static RequestMessage ofQuery(Map<String, List<String>> parameters) {
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        parameters.forEach((name, values) -> {
            if (values.isEmpty()) {
                fields.put(name, "");
            } else if (values.size() == 1) {
                fields.put(name, values.getFirst());
            } else {
                ArrayNode array = fields.putArray(name);
                values.forEach(array::add);
            }
        });
        return new RequestMessage(fields, "");
    }

    public static RequestMessage empty() {
        return new RequestMessage(JsonNodeFactory.instance.objectNode(), "");
    }

    public boolean has(String name) {
        JsonNode value = field(name);
        return value != null && !value.isNull();
    }

    public String requiredString(String name) {
        return string(name).filter(value -> !value.isEmpty()).orElseThrow(() -> missing(name));
    }

    public Optional<String> string(String name) {
        JsonNode value = field(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw wrongType(name, value, "a string");
        }
        return Optional.of(value.textValue());
    }

    /** A string or a number, as text: for enums, which protobuf accepts by name or by number. */
    public Optional<String> enumText(String name) {
        JsonNode value = field(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (value.isTextual() || value.isIntegralNumber()) {
            return Optional.of(value.asText());
        }
        throw wrongType(name, value, "an enum name");
    }

    public long requiredInt64(String name) {
        return int64(name).orElseThrow(() -> missing(name));
    }

    public Optional<Long> int64(String name) {
        JsonNode value = field(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return Optional.of(value.longValue());
        }
        if (value.isTextual()) {
            try {
                return Optional.of(Long.parseLong(value.textValue().strip()));
            } catch (NumberFormatException e) {
                throw wrongType(name, value, "an integer");
            }
        }
        if (value.isFloatingPointNumber()
                && value.doubleValue() == Math.rint(value.doubleValue())
                && Math.abs(value.doubleValue()) < 9.007199254740992E15) {
            return Optional.of((long) value.doubleValue());
        }
        throw wrongType(name, value, "an integer");
    }

    public Optional<Integer> int32(String name) {
        return int64(name).map(value -> {
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                throw AxleException.invalidParameter("Invalid value " + value + " for parameter '" + qualified(name)
                        + "' supplied: it does not fit in a 32-bit integer.");
            }
            return value.intValue();
        });
    }

    public double requiredDouble(String name) {
        return doubleValue(name).orElseThrow(() -> missing(name));
    }

    public Optional<Double> doubleValue(String name) {
        JsonNode value = field(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (value.isNumber()) {
            return Optional.of(value.doubleValue());
        }
        if (value.isTextual()) {
            String text = value.textValue().strip();
            switch (text) {
                case "NaN":
                    return Optional.of(Double.NaN);
                case "Infinity", "inf":
                    return Optional.of(Double.POSITIVE_INFINITY);
                case "-Infinity", "-inf":
                    return Optional.of(Double.NEGATIVE_INFINITY);
                default:
                    try {
                        return Optional.of(Double.parseDouble(text));
                    } catch (NumberFormatException e) {
                        throw wrongType(name, value, "a number");
                    }
            }
        }
        throw wrongType(name, value, "a number");
    }

    public Optional<Boolean> bool(String name) {
        JsonNode value = field(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (value.isBoolean()) {
            return Optional.of(value.booleanValue());
        }
        if (value.isTextual()
                && (value.textValue().equalsIgnoreCase("true")
                        || value.textValue().equalsIgnoreCase("false"))) {
            return Optional.of(Boolean.parseBoolean(value.textValue()));
        }
        throw wrongType(name, value, "a boolean");
    }

    /** A repeated string field; a single string counts as a list of one. */
    public List<String> strings(String name) {
        JsonNode value = field(name);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (value.isTextual()) {
            return List.of(value.textValue());
        }
        if (!value.isArray()) {
            throw wrongType(name, value, "a list of strings");
        }
        List<String> result = new ArrayList<>(value.size());
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw wrongType(name, element, "a list of strings");
            }
            result.add(element.textValue());
        }
        return result;
    }

    /** A repeated message field. */
    public List<RequestMessage> messages(String name) {
        JsonNode value = field(name);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw wrongType(name, value, "a list of objects");
        }
        List<RequestMessage> result = new ArrayList<>(value.size());
        int index = 0;
        for (JsonNode element : value) {
            if (!element.isObject()) {
                throw wrongType(name + "[" + index + "]", element, "an object");
            }
            result.add(new RequestMessage((ObjectNode) element, qualified(name) + "[" + index + "]"));
            index++;
        }
        return result;
    }

    public RequestMessage requiredMessage(String name) {
        return message(name).orElseThrow(() -> missing(name));
    }

    public Optional<RequestMessage> message(String name) {
        JsonNode value = field(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw wrongType(name, value, "an object");
        }
        return Optional.of(new RequestMessage((ObjectNode) value, qualified(name)));
    }

    public int size(String name) {
        JsonNode value = field(name);
        return value != null && value.isArray() ? value.size() : 0;
    }

    /**
     * The field under its proto name, or under the lowerCamelCase JSON name that protobuf's JSON printers write by
     * default and MLflow's server accepts as well ({@code runId} for {@code run_id}).
     */
    private JsonNode field(String name) {
        JsonNode value = fields.get(name);
        return value != null || name.indexOf('_') < 0 ? value : fields.get(lowerCamelCase(name));
    }

    private static String lowerCamelCase(String name) {
        StringBuilder result = new StringBuilder(name.length());
        boolean upper = false;
        for (char character : name.toCharArray()) {
            if (character == '_') {
                upper = true;
            } else {
                result.append(upper ? Character.toUpperCase(character) : character);
                upper = false;
            }
        }
        return result.toString();
    }

    private String qualified(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private AxleException missing(String name) {
        return AxleException.invalidParameter("Missing value for required parameter '" + qualified(name)
                + "'. See the API docs for more information about request parameters.");
    }

    private AxleException wrongType(String name, JsonNode value, String expected) {
        return AxleException.invalidParameter("Invalid value " + abbreviate(value.toString()) + " for parameter '"
                + qualified(name) + "' supplied: expected " + expected + ", got " + describe(value) + ".");
    }

    private static String describe(JsonNode value) {
        return switch (value.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL, MISSING -> "null";
            case BINARY -> "binary data";
        };
    }

    private static String abbreviate(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "...";
    }
}
