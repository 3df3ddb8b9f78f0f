package io.axle.server.webhooks;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Sends one signed attempt: the address guard first, then one POST with a time limit; never follows redirects. */
final class WebhookSender implements AutoCloseable {
    static final int SNIPPET_CHARS = 500;

    private final AddressGuard guard;
    private final Duration timeout;
    private final InstantSource clock;
    private final HttpClient http;

    WebhookSender(AddressGuard guard, Duration timeout, InstantSource clock) {
        this.guard = requireNonNull(guard, "guard is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    AttemptResult send(Endpoint endpoint, String webhookId, String body) {
        long started = System.nanoTime();
        try {
            guard.check(endpoint.url());
        } catch (AxleException e) {
            return AttemptResult.failed(0, e.getMessage());
        }
        HttpRequest request = request(endpoint, webhookId, body, clock.instant());
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            String snippet = snippet(response.body());
            return new AttemptResult(
                    Optional.of(response.statusCode()),
                    millisSince(started),
                    Optional.of(snippet).filter(text -> !text.isEmpty()),
                    Optional.empty(),
                    response.headers().firstValue("Retry-After").flatMap(value -> retryAfter(value, clock.instant())));
        } catch (HttpTimeoutException e) {
            return AttemptResult.failed(millisSince(started), "No answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return AttemptResult.failed(
                    millisSince(started),
                    e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return AttemptResult.failed(millisSince(started), "Interrupted: the server stopped during the attempt");
        }
    }

    private HttpRequest request(Endpoint endpoint, String webhookId, String body, Instant now) {
        long timestamp = now.getEpochSecond();
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.url())
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "Axle-Webhooks/1")
                .header("webhook-id", webhookId)
                .header("webhook-timestamp", Long.toString(timestamp))
                .POST(HttpRequest.BodyPublishers.ofString(body, UTF_8));
        endpoint.secret()
                .ifPresent(secret -> request.header(
                        "webhook-signature", Signer.standardSignature(secret, webhookId, timestamp, body)));
        switch (endpoint.flavor()) {
            case AXLE -> {}
            case MLFLOW -> {
                request.header("X-MLflow-Delivery-Id", webhookId);
                request.header("X-MLflow-Timestamp", Long.toString(timestamp));
                endpoint.secret()
                        .ifPresent(secret -> request.header(
                                "X-MLflow-Signature", Signer.mlflowSignature(secret, webhookId, timestamp, body)));
            }
        }
        return request.build();
    }

    private static String snippet(InputStream body) throws IOException {
        try (InputStream in = body) {
            byte[] start = in.readNBytes(SNIPPET_CHARS * 4);
            String text = new String(start, UTF_8);
            return text.length() > SNIPPET_CHARS ? text.substring(0, SNIPPET_CHARS) : text;
        }
    }

    /** Retry-After as seconds or as an HTTP date. */
    static Optional<Duration> retryAfter(String value, Instant now) {
        String text = value.strip();
        try {
            long seconds = Long.parseLong(text);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException e) {
            // not seconds: perhaps a date
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
            return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static long millisSince(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
