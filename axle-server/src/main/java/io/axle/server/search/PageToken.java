package io.axle.server.search;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.common.AxleException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * MLflow's page token: the base64 of the JSON {@code {"offset": N}}, where N is how many results earlier pages
 * returned. Tokens written by MLflow itself decode here and the other way round.
 */
public final class PageToken {
    private static final ObjectMapper JSON = new ObjectMapper();
    // Far beyond any real page token; keeps a hostile one from costing anything.
    private static final int MAX_TOKEN_LENGTH = 1024;

    private PageToken() {}

    public static String encode(int offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset is negative: " + offset);
        }
        return Base64.getEncoder().encodeToString(("{\"offset\": " + offset + "}").getBytes(StandardCharsets.UTF_8));
    }

    /** The offset a token carries; an empty token is the first page, offset 0. */
    public static int decode(String token) {
        String trimmed = token.strip();
        if (trimmed.isEmpty()) {
            return 0;
        }
        if (trimmed.length() > MAX_TOKEN_LENGTH) {
            throw invalid(trimmed.substring(0, 32) + "...", "it is too long");
        }
        JsonNode json = parse(trimmed, base64(trimmed));
        JsonNode offset = json.path("offset");
        long value;
        if (offset.isIntegralNumber() && offset.canConvertToLong()) {
            value = offset.asLong();
        } else if (offset.isTextual() && offset.asText().matches("[0-9]{1,10}")) {
            value = Long.parseLong(offset.asText());
        } else {
            throw invalid(trimmed, "it has no whole-number offset");
        }
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw invalid(trimmed, "its offset " + value + " is out of range");
        }
        return (int) value;
    }

    private static byte[] base64(String token) {
        try {
            return Base64.getDecoder().decode(token);
        } catch (IllegalArgumentException notStandard) {
            try {
                return Base64.getUrlDecoder().decode(token);
            } catch (IllegalArgumentException notUrlSafe) {
                throw invalid(token, "it is not base64");
            }
        }
    }

    private static JsonNode parse(String token, byte[] decoded) {
        try {
            JsonNode json = JSON.readTree(new String(decoded, StandardCharsets.UTF_8));
            if (json == null || !json.isObject()) {
                throw invalid(token, "it does not hold a JSON object");
            }
            return json;
        } catch (JacksonException e) {
            throw invalid(token, "it does not hold JSON");
        }
    }

    private static AxleException invalid(String token, String problem) {
        return AxleException.invalidParameter(
                "Invalid page token '" + token + "': " + problem + ". Pass the next_page_token of the previous page.");
    }
}
