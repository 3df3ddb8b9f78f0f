package io.axle.server.search;

import io.axle.common.AxleException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

// TEMPORARY stub until the search branch lands.
public final class PageToken {
    private PageToken() {}

    public static int decode(String token) {
        try {
            String json = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
            return Integer.parseInt(json.replaceAll("[^0-9]", ""));
        } catch (IllegalArgumentException e) {
            throw AxleException.invalidParameter("Invalid page token");
        }
    }

    public static String encode(int offset) {
        return Base64.getEncoder().encodeToString(("{\"offset\": " + offset + "}").getBytes(StandardCharsets.UTF_8));
    }
}
