package io.axle.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.axle.server.ServerConfig;
import io.axle.server.auth.AuthConfig;
import io.axle.server.db.Dialect;
import io.axle.server.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes per caller over the limit are refused with 429 and a Retry-After, and go through again later. */
class RateLimitTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path data;

    @Test
    void aBucketRefusesPastItsBurstAndRefillsWithTime() {
        AtomicLong nanos = new AtomicLong();
        RateLimiter limiter = new RateLimiter(2, 2, nanos::get);

        assertThat(limiter.acquire("alice")).isZero();
        assertThat(limiter.acquire("alice")).isZero();
        assertThat(limiter.acquire("alice")).isEqualTo(1);
        assertThat(limiter.acquire("bob")).isZero();
        nanos.addAndGet(500_000_000L);
        assertThat(limiter.acquire("alice")).isZero();
        assertThat(limiter.acquire("alice")).isEqualTo(1);
    }

    @Test
    void aSlowBucketSaysHowManySecondsToWait() {
        RateLimiter limiter = new RateLimiter(1 / 60.0, 1, () -> 0L);

        assertThat(limiter.acquire("ip:1")).isZero();
        assertThat(limiter.acquire("ip:1")).isEqualTo(60);
    }

    @Test
    void writesOverTheLimitGet429WithRetryAfterThenSucceedAgain() throws InterruptedException {
        HttpLimits limits = HttpLimits.defaults().withWriteRate("2/s");
        try (TestServer server =
                TestServer.start(ServerConfig.embedded(data), Dialect.H2, AuthConfig.disabled(), limits)) {
            HttpResponse<String> refused = null;
            for (int attempt = 0; attempt < 50 && refused == null; attempt++) {
                HttpResponse<String> response = createExperiment(server, "burst-" + attempt);
                if (response.statusCode() == 429) {
                    refused = response;
                } else {
                    assertThat(response.statusCode()).isEqualTo(200);
                }
            }

            assertThat(refused).as("a write refused within 50 quick attempts").isNotNull();
            assertThat(refused.body()).contains("\"error_code\":\"REQUEST_LIMIT_EXCEEDED\"", "retry after");
            assertThat(Long.parseLong(
                            refused.headers().firstValue("Retry-After").orElseThrow()))
                    .isGreaterThanOrEqualTo(1);
            assertThat(send(
                                    server,
                                    HttpRequest.newBuilder(uri(server, "/api/2.0/mlflow/experiments/search"))
                                            .GET())
                            .statusCode())
                    .as("reads are not limited")
                    .isEqualTo(200);
            int status = 0;
            for (int attempt = 0; attempt < 100 && status != 200; attempt++) {
                Thread.sleep(100);
                status = createExperiment(server, "later-" + attempt).statusCode();
            }
            assertThat(status).isEqualTo(200);
        }
    }

    @Test
    void eachTokenHasItsOwnBucket() {
        HttpLimits limits = HttpLimits.defaults().withWriteRate("1/min");
        String basic = "Basic "
                + java.util.Base64.getEncoder()
                        .encodeToString("admin:admin-password".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (TestServer server = TestServer.start(
                ServerConfig.embedded(data), Dialect.H2, AuthConfig.enabled("admin", "admin-password"), limits)) {
            // the two token creations are the password user's writes: one passes, the next waits
            String first = tokenSecret(server, basic, "job-a");
            assertThat(authorizedWrite(server, basic, "by-password").statusCode())
                    .isEqualTo(429);
            assertThat(authorizedWrite(server, "Bearer " + first, "by-token-a").statusCode())
                    .isEqualTo(200);
            assertThat(authorizedWrite(server, "Bearer " + first, "by-token-a-again")
                            .statusCode())
                    .isEqualTo(429);
        }
    }

    private static String tokenSecret(TestServer server, String authorization, String name) {
        HttpResponse<String> response = send(
                server,
                HttpRequest.newBuilder(uri(server, "/api/2.0/axle/tokens"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", authorization)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body().replaceAll("(?s).*\"secret\":\"([^\"]+)\".*", "$1");
    }

    private static HttpResponse<String> authorizedWrite(TestServer server, String authorization, String name) {
        return send(
                server,
                HttpRequest.newBuilder(uri(server, "/api/2.0/mlflow/experiments/create"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", authorization)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")));
    }

    @Test
    void signInAttemptsHaveTheirOwnStricterLimit() {
        HttpLimits limits = HttpLimits.defaults().withoutWriteLimit();
        try (TestServer server =
                TestServer.start(ServerConfig.embedded(data), Dialect.H2, AuthConfig.disabled(), limits)) {
            Optional<HttpResponse<String>> refused = Optional.empty();
            for (int attempt = 0; attempt <= RequestLimits.LOGIN_ATTEMPTS_PER_MINUTE && refused.isEmpty(); attempt++) {
                HttpResponse<String> response = send(
                        server,
                        HttpRequest.newBuilder(uri(server, "/login"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString("username=admin&password=guess" + attempt)));
                if (response.statusCode() == 429) {
                    refused = Optional.of(response);
                }
            }

            assertThat(refused).as("the 11th attempt within a minute").isPresent();
            assertThat(refused.get().headers().firstValue("Retry-After")).isPresent();
            assertThat(createExperiment(server, "still-writing").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void offTurnsTheLimitOff() {
        assertThat(HttpLimits.parseRate("off")).isEmpty();
        assertThat(HttpLimits.parseRate("0")).isEmpty();
        assertThat(HttpLimits.parseRate("100/s")).hasValue(100.0);
        assertThat(HttpLimits.parseRate("600/min")).hasValue(10.0);
        assertThat(HttpLimits.parseRate("5")).hasValue(5.0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpLimits.parseRate("fast"))
                .hasMessageContaining("100/s");
    }

    private static HttpResponse<String> createExperiment(TestServer server, String name) {
        return send(
                server,
                HttpRequest.newBuilder(uri(server, "/api/2.0/mlflow/experiments/create"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")));
    }

    private static URI uri(TestServer server, String path) {
        return URI.create(server.url() + path);
    }

    static HttpResponse<String> send(TestServer server, HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
