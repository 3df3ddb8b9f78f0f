package io.axle.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhookBackoffTest {
    private static final WebhookConfig DEFAULTS = WebhookConfig.defaults(Path.of("unused"));

    @Test
    void waitsGrowThreefoldWithTheUpperHalfRandom() {
        AttemptResult failed = AttemptResult.failed(5, "refused");
        for (int attempts = 1; attempts <= 7; attempts++) {
            long full = Duration.ofMinutes((long) Math.pow(3, attempts - 1)).toMillis();
            for (int sample = 0; sample < 50; sample++) {
                assertThat(Dispatcher.backoff(DEFAULTS, attempts, failed)).isBetween(full / 2, full);
            }
        }
    }

    @Test
    void theLongestWaitIsCapped() {
        long wait = Dispatcher.backoff(DEFAULTS, 20, AttemptResult.failed(5, "refused"));
        assertThat(wait)
                .isBetween(
                        Duration.ofHours(13).toMillis() / 2,
                        Duration.ofHours(13).toMillis());
    }

    @Test
    void retryAfterLengthensAWaitButIsCappedToo() {
        AttemptResult later = new AttemptResult(
                Optional.of(503), 5, Optional.empty(), Optional.empty(), Optional.of(Duration.ofMinutes(30)));
        assertThat(Dispatcher.backoff(DEFAULTS, 1, later))
                .isEqualTo(Duration.ofMinutes(30).toMillis());
        AttemptResult muchLater = new AttemptResult(
                Optional.of(429), 5, Optional.empty(), Optional.empty(), Optional.of(Duration.ofDays(7)));
        assertThat(Dispatcher.backoff(DEFAULTS, 1, muchLater))
                .isEqualTo(Duration.ofHours(13).toMillis());
        AttemptResult sooner = new AttemptResult(
                Optional.of(503), 5, Optional.empty(), Optional.empty(), Optional.of(Duration.ofSeconds(1)));
        assertThat(Dispatcher.backoff(DEFAULTS, 3, sooner))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(270).toMillis());
    }
}
