package io.axle.serving;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The HTTP side of {@code axle serve}.
 *
 * @param host {@code --host}, default 127.0.0.1
 * @param port {@code --port}, default 8080; 0 picks a free one
 * @param requestTimeout a request not answered in this time gets 504
 * @param shutdownGrace how long a shutdown waits for in-flight requests
 */
public record ServingConfig(String host, int port, Duration requestTimeout, Duration shutdownGrace) {
    public ServingConfig {
        requireNonNull(host, "host is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
        requireNonNull(shutdownGrace, "shutdownGrace is null");
    }

    public static ServingConfig defaults() {
        return new ServingConfig("127.0.0.1", 8080, Duration.ofSeconds(30), Duration.ofSeconds(30));
    }
}
