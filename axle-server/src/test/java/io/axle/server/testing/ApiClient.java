package io.axle.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A plain HTTP client for API tests: JSON in, status and JSON out. */
public final class ApiClient {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String baseUrl;

    public ApiClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public record Response(int status, String body) {
        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("Response is not JSON: " + body, e);
            }
        }

        public String errorCode() {
            return json().path("error_code").asText();
        }
    }

    /** POSTs a JSON body (a JSON string, or any object Jackson writes) to {@code path} under /api/2.0/mlflow/. */
    public Response post(String path, Object body) {
        return send(HttpRequest.newBuilder(uri(api(path)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(toJson(body)))
                .build());
    }

    /** GETs {@code path} under /api/2.0/mlflow/, with its query string. */
    public Response get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(api(pathAndQuery))).GET().build());
    }

    /** PATCHes a JSON body to {@code path} under /api/2.0/mlflow/. */
    public Response patch(String path, Object body) {
        return send(HttpRequest.newBuilder(uri(api(path)))
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(toJson(body)))
                .build());
    }

    /** DELETEs with a JSON body, as MLflow's clients do, at {@code path} under /api/2.0/mlflow/. */
    public Response delete(String path, Object body) {
        return send(HttpRequest.newBuilder(uri(api(path)))
                .header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofString(toJson(body)))
                .build());
    }

    /** PUTs raw bytes at {@code path} (an absolute path such as the artifact proxy's). */
    public Response put(String path, byte[] bytes) {
        return send(HttpRequest.newBuilder(uri(path))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build());
    }

    /** GETs raw bytes at {@code path}. */
    public byte[] download(String path) {
        try {
            HttpResponse<byte[]> response =
                    HTTP.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": "
                        + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private static String api(String path) {
        return path.startsWith("/") ? path : "/api/2.0/mlflow/" + path;
    }

    private static String toJson(Object body) {
        if (body instanceof String text) {
            return text;
        }
        try {
            return MAPPER.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
