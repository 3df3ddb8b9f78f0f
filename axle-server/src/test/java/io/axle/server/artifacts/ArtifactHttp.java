package io.axle.server.artifacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Calls the artifact endpoints the way MLflow's Python client does: raw file bytes PUT to
 * {@code /api/2.0/mlflow-artifacts/artifacts/<path>}, the same URL fetched to download, listings by {@code ?path=}.
 */
final class ArtifactHttp {
    static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts";

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String baseUrl;

    ArtifactHttp(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    record Reply(int status, HttpHeaders headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("Not JSON (" + status + "): " + text(), e);
            }
        }

        String errorCode() {
            return json().path("error_code").asText();
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    Reply upload(String path, byte[] content) {
        return send(HttpRequest.newBuilder(uri(PROXY + "/" + path))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                .build());
    }

    /** A PUT with a Content-Length, as {@code requests} sends a file, of bytes made as they are sent. */
    Reply upload(String path, Supplier<InputStream> content, long length) {
        return send(HttpRequest.newBuilder(uri(PROXY + "/" + path))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(content), length))
                .build());
    }

    Reply download(String path) {
        return get(PROXY + "/" + path);
    }

    Reply list(String path) {
        return get(PROXY + "?path=" + path);
    }

    Reply delete(String path) {
        return send(HttpRequest.newBuilder(uri(PROXY + "/" + path)).DELETE().build());
    }

    Reply get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET().build());
    }

    Reply post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    /** Streams a download into {@code sink} without holding it; the reply's body is left empty. */
    Reply downloadTo(String path, OutputStream sink) {
        try {
            HttpResponse<InputStream> response = HTTP.send(
                    HttpRequest.newBuilder(uri(PROXY + "/" + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                body.transferTo(sink);
            }
            return new Reply(response.statusCode(), response.headers(), new byte[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends {@code request} as written, byte for byte, over a plain socket (no client normalises its path), and
     * returns the status line and what followed.
     */
    static String raw(int port, String request) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI uri(String pathAndQuery) {
        return URI.create(baseUrl + pathAndQuery);
    }

    private static Reply send(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
