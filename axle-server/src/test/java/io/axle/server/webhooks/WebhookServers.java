package io.axle.server.webhooks;

import io.axle.server.AxleServer;
import io.axle.server.ServerConfig;
import io.axle.server.db.BackendStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Real servers for webhook tests: fast retries, and 127.0.0.1 allow-listed where a test says so. */
final class WebhookServers {
    private WebhookServers() {}

    static WebhookConfig fast(Path dataDirectory) {
        return WebhookConfig.defaults(dataDirectory)
                .withAllowPrivate(List.of("127.0.0.1"))
                .withTiming(
                        Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofMillis(50));
    }

    static AxleServer start(BackendStore store, Path dataDirectory, WebhookConfig webhooks) {
        return AxleServer.start(
                ServerConfig.embedded(dataDirectory).withBackendStore(store).withPort(0), webhooks);
    }
}
