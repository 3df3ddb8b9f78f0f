package io.axle.server.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A browser without JavaScript: it keeps cookies, reads pages and sends forms, and does not follow redirects. */
public final class UiClient {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([A-Za-z0-9_-]+)\"");

    private final String baseUrl;
    private final HttpClient http;

    public UiClient(String baseUrl) {
        this.baseUrl = baseUrl;
        this.http = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** A page as it came back. */
    public record Page(int status, String body, HttpHeaders headers) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** The CSRF token the page's forms carry. */
        public String csrf() {
            Matcher matcher = CSRF.matcher(body);
            if (!matcher.find()) {
                throw new AssertionError("The page has no form with a CSRF token:\n" + body);
            }
            return matcher.group(1);
        }
    }

    public Page get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).GET());
    }

    /** Sends {@code form} as a browser posts a form, with {@code Origin} as a browser sets it. */
    public Page post(String path, Map<String, String> form) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", baseUrl)
                .POST(HttpRequest.BodyPublishers.ofString(encode(form))));
    }

    /** {@code form} plus the CSRF token {@code page} carries. */
    public static Map<String, String> withToken(Page page, Map<String, String> form) {
        Map<String, String> all = new LinkedHashMap<>(form);
        all.put("_csrf", page.csrf());
        return all;
    }

    private Page send(HttpRequest.Builder request) {
        request.header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Page(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(Map<String, String> form) {
        StringJoiner body = new StringJoiner("&");
        form.forEach((key, value) -> body.add(URLEncoder.encode(key, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return body.toString();
    }
}
