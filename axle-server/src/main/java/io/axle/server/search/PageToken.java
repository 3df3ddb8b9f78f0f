package io.axle.server.search;

import io.axle.common.AxleException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** MLflow's page tokens: base64 of {@code {"offset": N}}. */
public final class PageToken {
    private static final Pattern OFFSET = Pattern.compile("^\\s*\\{\\s*\"offset\"\\s*:\\s*(\\d{1,9})\\s*}\\s*$");

    private PageToken() {}

    public static int decode(String token) {
        String json;
        try {
            json = new String(Base64.getDecoder().decode(token.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid(token);
        }
        Matcher matcher = OFFSET.matcher(json);
        if (!matcher.matches()) {
            throw invalid(token);
        }
        return Integer.parseInt(matcher.group(1));
    }

    public static String encode(int offset) {
        return Base64.getEncoder().encodeToString(("{\"offset\": " + offset + "}").getBytes(StandardCharsets.UTF_8));
    }

    private static AxleException invalid(String token) {
        String shown = token.length() > 40 ? token.substring(0, 40) + "..." : token;
        return AxleException.invalidParameter(
                "Invalid page token '" + shown + "': pass the next_page_token of a previous answer unchanged.");
    }
}
