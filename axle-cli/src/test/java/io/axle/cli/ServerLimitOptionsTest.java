package io.axle.cli;

import static io.axle.cli.UsersCommandTest.axle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.axle.cli.UsersCommandTest.Result;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code axle server}'s request size and write rate flags. */
class ServerLimitOptionsTest {
    @TempDir
    Path directory;

    @Test
    void helpNamesTheLimitFlagsTheirVariablesAndDefaults() {
        assertThat(axle("server", "--help").out())
                .contains("--max-request-size", "AXLE_MAX_REQUEST_SIZE", "1MiB")
                .contains("--write-rate-limit", "AXLE_WRITE_RATE_LIMIT", "1000/s");
    }

    @Test
    void anUnreadableRateIsRefusedWithAnExample() {
        Result refused = assertTimeoutPreemptively(
                Duration.ofSeconds(60),
                () -> axle("server", "--write-rate-limit", "fast", "--port", "0", "--data-dir", directory.toString()));
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("Write rate limit 'fast'").contains("100/s");
    }

    @Test
    void anUnreadableSizeIsRefusedWithAnExample() {
        Result refused = assertTimeoutPreemptively(
                Duration.ofSeconds(60),
                () -> axle("server", "--max-request-size", "huge", "--port", "0", "--data-dir", directory.toString()));
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("Request size 'huge'").contains("16MiB");
    }
}
