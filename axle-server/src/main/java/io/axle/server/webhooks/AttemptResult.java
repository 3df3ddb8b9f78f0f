package io.axle.server.webhooks;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/** What one attempt got: an HTTP status with the start of the answer, or the error that stopped it. */
record AttemptResult(
        Optional<Integer> httpStatus,
        long latencyMillis,
        Optional<String> responseSnippet,
        Optional<String> error,
        Optional<Duration> retryAfter) {
    AttemptResult {
        requireNonNull(httpStatus, "httpStatus is null");
        requireNonNull(responseSnippet, "responseSnippet is null");
        requireNonNull(error, "error is null");
        requireNonNull(retryAfter, "retryAfter is null");
    }

    static AttemptResult failed(long latencyMillis, String error) {
        return new AttemptResult(
                Optional.empty(), latencyMillis, Optional.empty(), Optional.of(error), Optional.empty());
    }

    boolean succeeded() {
        return httpStatus.filter(status -> status / 100 == 2).isPresent();
    }

    boolean gone() {
        return httpStatus.filter(status -> status == 410).isPresent();
    }
}
