package io.axle.cli.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A client of an MLflow-compatible tracking server (Axle's, or MLflow's own): JSON requests, MLflow error bodies as
 * {@link AxleException}s with the server's message, and artifacts streamed both ways. A failure to reach or talk to
 * the server is an {@link AxleException} whose cause is the {@link IOException}; an error the server answered has none.
 */
public final class TrackingClient implements AutoCloseable {
    /** MLflow's REST API. */
    public static final String MLFLOW_API = "/api/2.0/mlflow/";
    /** MLflow's artifact proxy: {@code GET} lists ({@code ?path=}), {@code GET/PUT/DELETE} on a path below. */
    public static final String ARTIFACT_PROXY = "/api/2.0/mlflow-artifacts/artifacts";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    // a JSON call is small; artifact streams take as long as their size needs, so they have no limit
    private static final Duration JSON_TIMEOUT = Duration.ofMinutes(5);
    private static final int QUOTED_BODY_LENGTH = 200;

    private final String baseUrl;
    private final Credentials credentials;
    private final String unreachableHint;
    private final HttpClient http;
    private final ObjectMapper mapper;

    private TrackingClient(String baseUrl, Credentials credentials, String unreachableHint) {
        this.baseUrl = requireNonNull(baseUrl, "baseUrl is null");
        this.credentials = requireNonNull(credentials, "credentials is null");
        this.unreachableHint = requireNonNull(unreachableHint, "unreachableHint is null");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        // MLflow's Python server writes NaN bare; Axle writes it as a string: both read back
        this.mapper = JsonMapper.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    /**
     * A client of the server at {@code url} ({@code http(s)://host[:port][/prefix]}); a user name and password in the
     * URL take the place of {@code credentials}. {@code unreachableHint} ends the message when the server cannot be
     * reached, saying where the URL came from.
     */
    public static TrackingClient connect(String url, Credentials credentials, String unreachableHint) {
        URI parsed = parse(url, unreachableHint);
        Credentials inUrl = Credentials.fromUserInfo(parsed);
        String base = parsed.getScheme().toLowerCase(Locale.ROOT) + "://"
                + parsed.getRawAuthority().replaceFirst("^.*@", "")
                + Optional.ofNullable(parsed.getRawPath()).orElse("").replaceFirst("/+$", "");
        return new TrackingClient(base, inUrl.authorization().isPresent() ? inUrl : credentials, unreachableHint);
    }

    private static URI parse(String url, String hint) {
        try {
            URI uri = new URI(url.strip());
            String scheme = Optional.ofNullable(uri.getScheme()).orElse("").toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below, as any other URL that is not one
        }
        throw AxleException.invalidParameter(
                "'" + url + "' is not a tracking server URL: use http://host:port or https://host (" + hint + ")");
    }

    /** The server's URL, without credentials. */
    public String url() {
        return baseUrl;
    }

    public JsonNode get(String path, Map<String, String> query) {
        return json(request(path, query).timeout(JSON_TIMEOUT).GET());
    }

    public JsonNode post(String path, Object body) {
        return json(withJson(request(path, Map.of()), "POST", body));
    }

    public JsonNode patch(String path, Object body) {
        return json(withJson(request(path, Map.of()), "PATCH", body));
    }

    public JsonNode delete(String path, Object body) {
        return json(withJson(request(path, Map.of()), "DELETE", body));
    }

    /** Opens an artifact for reading; the caller closes the download. */
    public Download download(String path, Map<String, String> query) {
        HttpRequest request = request(path, query).GET().build();
        HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() / 100 != 2) {
            String body = readQuietly(response.body());
            throw failure(request, response.statusCode(), body);
        }
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        return new Download(response.body(), length);
    }

    /** Streams {@code content} ({@code length} bytes, or negative when unknown) to {@code path} with a PUT. */
    public void upload(String path, InputStream content, long length) {
        HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(() -> content);
        HttpRequest.BodyPublisher body =
                length >= 0 ? HttpRequest.BodyPublishers.fromPublisher(stream, length) : stream;
        HttpRequest request = request(path, Map.of())
                .header("Content-Type", "application/octet-stream")
                .PUT(body)
                .build();
        checked(request, send(request, HttpResponse.BodyHandlers.ofString()));
    }

    /** {@code path} with each segment percent-encoded, for a path below a route such as {@link #ARTIFACT_PROXY}. */
    public static String encodePath(String path) {
        return Arrays.stream(path.split("/", -1))
                .map(segment ->
                        URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
    }

    @Override
    public void close() {
        http.close();
    }

    private HttpRequest.Builder request(String path, Map<String, String> query) {
        String queryString = query.entrySet().stream()
                .map(entry -> URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        URI uri = URI.create(baseUrl + path + (queryString.isEmpty() ? "" : "?" + queryString));
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).header("Accept", "application/json");
        credentials.authorization().ifPresent(value -> builder.header("Authorization", value));
        return builder;
    }

    private HttpRequest.Builder withJson(HttpRequest.Builder builder, String method, Object body) {
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(body);
        } catch (JacksonException e) {
            throw new AxleException(ErrorCode.INTERNAL_ERROR, "Could not write a request as JSON: " + e.getMessage());
        }
        return builder.timeout(JSON_TIMEOUT)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
    }

    private JsonNode json(HttpRequest.Builder builder) {
        HttpRequest request = builder.build();
        String body = checked(request, send(request, HttpResponse.BodyHandlers.ofString()));
        return parseJson(body)
                .orElseThrow(() -> new AxleException(
                        ErrorCode.INTERNAL_ERROR,
                        describe(request) + " answered something that is not JSON (is " + baseUrl
                                + " an MLflow tracking server?): " + quote(body)));
    }

    private String checked(HttpRequest request, HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw failure(request, response.statusCode(), response.body());
        }
        return response.body();
    }

    /** The server's own error where it sent MLflow's {@code {"error_code", "message"}}, else what it said. */
    private AxleException failure(HttpRequest request, int status, String body) {
        Optional<JsonNode> error = parseJson(body).filter(node -> node.hasNonNull("message"));
        if (error.isPresent()) {
            return new AxleException(
                    errorCode(error.get().path("error_code").asText(), status),
                    error.get().path("message").asText());
        }
        String meaning = status == 404
                ? " (is " + baseUrl + " an MLflow tracking server, of a version with this endpoint?)"
                : "";
        return new AxleException(
                errorCode("", status), describe(request) + " answered HTTP " + status + meaning + ": " + quote(body));
    }

    private static ErrorCode errorCode(String name, int status) {
        for (ErrorCode code : ErrorCode.values()) {
            if (code.name().equals(name)) {
                return code;
            }
        }
        for (ErrorCode code : ErrorCode.values()) {
            if (code.httpStatus() == status) {
                return code;
            }
        }
        return ErrorCode.INTERNAL_ERROR;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new AxleException(
                    ErrorCode.TEMPORARILY_UNAVAILABLE,
                    "Cannot reach the tracking server at " + baseUrl + ": " + reason(e) + " (" + unreachableHint + ")",
                    e);
        } catch (IOException e) {
            throw new AxleException(ErrorCode.IO_ERROR, describe(request) + " failed on the way: " + reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AxleException(ErrorCode.INTERNAL_ERROR, describe(request) + " was interrupted", e);
        }
    }

    private Optional<JsonNode> parseJson(String body) {
        try {
            return Optional.ofNullable(mapper.readTree(body)).filter(JsonNode::isObject);
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    private static String describe(HttpRequest request) {
        return request.method() + " " + request.uri();
    }

    private static String reason(IOException e) {
        // a refused connection carries no message of its own
        if (e.getCause() instanceof UnresolvedAddressException) {
            return "unknown host";
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e instanceof ConnectException
                    ? "connection refused"
                    : e.getClass().getSimpleName();
        }
        return message;
    }

    private static String quote(String body) {
        String line = body.strip().replaceAll("\\s+", " ");
        return line.isEmpty()
                ? "(empty body)"
                : line.length() > QUOTED_BODY_LENGTH ? line.substring(0, QUOTED_BODY_LENGTH) + "..." : line;
    }

    private static String readQuietly(InputStream body) {
        try (body) {
            return new String(body.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
