package io.axle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.axle.server.testing.ApiClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code axle server} killed with SIGKILL while it sends a webhook: the server started again on the same data
 * sends it once its dead predecessor's lease runs out, with the same webhook-id, signed with the secret it sealed
 * under the key it generated into the data directory.
 */
class WebhookKillNineTest {
    @TempDir
    Path directory;

    @Test
    void aWebhookInFlightWhenTheServerIsKilledIsDeliveredAfterTheRestartWithTheSameId() throws Exception {
        List<String> ids = new CopyOnWriteArrayList<>();
        CountDownLatch firstArrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpServer endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        endpoint.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        endpoint.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            ids.add(exchange.getRequestHeaders().getFirst("webhook-id"));
            if (ids.size() == 1) {
                firstArrived.countDown();
                try {
                    release.await(); // holds the first attempt open until its sender is dead
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        endpoint.start();
        Files.createDirectories(directory);
        String[] arguments = {
            "--port",
            "0",
            "--data-dir",
            directory.resolve("data").toString(),
            "--artifacts-destination",
            directory.resolve("artifacts").toString(),
            "--webhook-allow-private",
            "127.0.0.1"
        };
        try {
            String subscription;
            try (AxleProcess first = AxleProcess.startServer(directory, Map.of(), arguments)) {
                ApiClient api = first.client();
                subscription = api.post(
                                "/api/2.0/axle/webhooks",
                                Map.of(
                                        "name",
                                        "killed",
                                        "url",
                                        "http://127.0.0.1:"
                                                + endpoint.getAddress().getPort() + "/hook",
                                        "event_types",
                                        List.of("MODEL_CREATED")))
                        .json()
                        .path("webhook")
                        .path("id")
                        .asText();
                assertThat(api.post("registered-models/create", Map.of("name", "in-flight"))
                                .status())
                        .isEqualTo(200);
                assertThat(firstArrived.await(30, TimeUnit.SECONDS)).isTrue();
                first.kill();
            }
            release.countDown();
            assertThat(Files.exists(directory.resolve("data").resolve("webhook-secret.key")))
                    .isTrue();

            try (AxleProcess second = AxleProcess.startServer(directory, Map.of(), arguments)) {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (ids.size() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(ids).hasSize(2);
                assertThat(ids.get(1)).isEqualTo(ids.get(0));
                String deliveries = second.client()
                        .get("/api/2.0/axle/webhooks/" + subscription + "/deliveries")
                        .body();
                long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (!deliveries.contains("DELIVERED") && System.nanoTime() < until) {
                    Thread.sleep(100);
                    deliveries = second.client()
                            .get("/api/2.0/axle/webhooks/" + subscription + "/deliveries")
                            .body();
                }
                assertThat(deliveries).contains("\"status\":\"DELIVERED\"").contains(ids.getFirst());
            }
        } finally {
            release.countDown();
            endpoint.stop(0);
        }
    }
}
