package io.axle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.axle.server.AxleServer;
import io.axle.server.ServerConfig;
import io.axle.server.testing.ApiClient;
import io.axle.server.webhooks.WebhookConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code axle webhooks list|create|deliveries|redeliver} against a real server and a real endpoint. */
class WebhookCommandsTest {
    @TempDir
    Path directory;

    private record Result(int exitCode, String out, String err) {}

    @Test
    void createsListsShowsDeliveriesAndRedelivers() throws Exception {
        AtomicInteger received = new AtomicInteger();
        HttpServer endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        endpoint.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        endpoint.start();
        WebhookConfig webhooks = WebhookConfig.defaults(directory)
                .withAllowPrivate(List.of("127.0.0.1"))
                .withTiming(
                        Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofMillis(50));
        try (AxleServer server = AxleServer.start(ServerConfig.embedded(directory), webhooks)) {
            String url = "http://127.0.0.1:" + endpoint.getAddress().getPort() + "/hook";
            Result created = axle(
                    "webhooks",
                    "create",
                    "deployer",
                    url,
                    "--event",
                    "MODEL_CREATED,ALIAS_SET",
                    "--tracking-uri",
                    server.url());
            assertThat(created.exitCode()).as(created.err()).isZero();
            assertThat(created.out()).contains("Signing secret (shown once): whsec_");
            Matcher id = Pattern.compile("Created webhook (\\w+)").matcher(created.out());
            assertThat(id.find()).isTrue();

            Result listed = axle("webhooks", "list", "--tracking-uri", server.url());
            assertThat(listed.out()).contains(id.group(1)).contains("ACTIVE").contains("MODEL_CREATED,ALIAS_SET");

            new ApiClient(server.url()).post("registered-models/create", Map.of("name", "cli-hooked"));
            Result deliveries = awaitDelivered(server, id.group(1));
            assertThat(deliveries.out())
                    .contains("MODEL_CREATED")
                    .contains("attempt 1")
                    .contains("HTTP 204");

            Matcher delivery =
                    Pattern.compile("^(\\d+)\\s+DELIVERED", Pattern.MULTILINE).matcher(deliveries.out());
            assertThat(delivery.find()).isTrue();
            Result redelivered = axle("webhooks", "redeliver", delivery.group(1), "--tracking-uri", server.url());
            assertThat(redelivered.exitCode()).as(redelivered.err()).isZero();
            assertThat(redelivered.out()).contains("is queued again");
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (received.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(received.get()).isEqualTo(2);

            Result refused = axle(
                    "webhooks",
                    "create",
                    "inside",
                    "http://10.0.0.1/",
                    "--event",
                    "MODEL_CREATED",
                    "--tracking-uri",
                    server.url());
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.err()).contains("--webhook-allow-private");
        } finally {
            endpoint.stop(0);
        }
    }

    private Result awaitDelivered(AxleServer server, String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Result result = axle("webhooks", "deliveries", id, "--tracking-uri", server.url());
        while (!result.out().contains("DELIVERED") && System.nanoTime() < deadline) {
            Thread.sleep(50);
            result = axle("webhooks", "deliveries", id, "--tracking-uri", server.url());
        }
        return result;
    }

    private static Result axle(String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), arguments);
        return new Result(exitCode, out.toString(), err.toString());
    }
}
