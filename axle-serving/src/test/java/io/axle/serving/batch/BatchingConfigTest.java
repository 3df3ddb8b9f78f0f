package io.axle.serving.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.common.AxleException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BatchingConfigTest {
    @Test
    void theThreeCommandLineSettingsGetTheDefaultTimeoutAndOneWorker() {
        BatchingConfig config = new BatchingConfig(16, Duration.ofMillis(2), 100);

        assertThat(config.requestTimeout()).isEqualTo(BatchingConfig.DEFAULT_REQUEST_TIMEOUT);
        assertThat(config.workers()).isEqualTo(1);
        assertThat(config.withWorkers(4).withRequestTimeout(Duration.ofSeconds(1)))
                .isEqualTo(new BatchingConfig(16, Duration.ofMillis(2), 100, Duration.ofSeconds(1), 4));
    }

    @Test
    void aBatchOfOneRowAndNoDelayAreAllowed() {
        BatchingConfig config = new BatchingConfig(1, Duration.ZERO, 1);

        assertThat(config.maxBatchSize()).isEqualTo(1);
    }

    @Test
    void settingsThatCannotWorkAreRefusedWithTheOptionName() {
        assertThatThrownBy(() -> new BatchingConfig(0, Duration.ZERO, 1))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("--max-batch-size");
        assertThatThrownBy(() -> new BatchingConfig(1, Duration.ofMillis(-1), 1))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("--max-batch-delay");
        assertThatThrownBy(() -> new BatchingConfig(1, Duration.ZERO, 0))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("--max-queue");
        assertThatThrownBy(() -> new BatchingConfig(1, Duration.ZERO, 1, Duration.ZERO, 1))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("request timeout");
        assertThatThrownBy(() -> new BatchingConfig(1, Duration.ZERO, 1, Duration.ofSeconds(1), 0))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("worker");
    }
}
