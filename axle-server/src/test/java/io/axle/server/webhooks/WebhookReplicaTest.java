package io.axle.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.server.AxleServer;
import io.axle.server.db.BackendStore;
import io.axle.server.db.Dialect;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.TestDatabases;
import io.axle.server.webhooks.WebhookReceiver.Received;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two servers on one PostgreSQL database share the delivery work through row locks: no event goes out twice. */
class WebhookReplicaTest {
    private static final int EVENTS = 60;

    @TempDir
    Path data;

    @Test
    void twoServersOnOnePostgresDeliverEachEventOnce() throws Exception {
        BackendStore store = TestDatabases.create(Dialect.POSTGRESQL);
        try (WebhookReceiver receiver = new WebhookReceiver(WebhookDeliveryTest.SECRET);
                // the same data directory: both replicas read the one key that seals the secrets
                AxleServer first = WebhookServers.start(store, data, WebhookServers.fast(data));
                AxleServer second = WebhookServers.start(store, data, WebhookServers.fast(data))) {
            List<ApiClient> replicas = List.of(new ApiClient(first.url()), new ApiClient(second.url()));
            JsonNode created = replicas.getFirst()
                    .post(
                            "/api/2.0/axle/webhooks",
                            Map.of(
                                    "name",
                                    "replicas",
                                    "url",
                                    receiver.url(),
                                    "secret",
                                    WebhookDeliveryTest.SECRET,
                                    "event_types",
                                    List.of("MODEL_CREATED")))
                    .json();
            String subscription = created.path("webhook").path("id").asText();
            try (ExecutorService clients = Executors.newFixedThreadPool(8)) {
                List<Future<Integer>> made = new java.util.ArrayList<>();
                for (int index = 0; index < EVENTS; index++) {
                    ApiClient replica = replicas.get(index % 2);
                    String name = "replicated-" + index;
                    made.add(clients.submit(() -> replica.post("registered-models/create", Map.of("name", name))
                            .status()));
                }
                for (Future<Integer> status : made) {
                    assertThat(status.get()).isEqualTo(200);
                }
            }
            List<Received> got = receiver.await(all -> all.size() >= EVENTS, Duration.ofSeconds(30));
            Thread.sleep(1000);
            got = receiver.received();
            assertThat(got).hasSize(EVENTS);
            assertThat(new HashSet<>(WebhookReceiver.ids(got))).hasSize(EVENTS);
            assertThat(got).allMatch(Received::standardSignatureValid);
            JsonNode deliveries = replicas.get(1)
                    .get("/api/2.0/axle/webhooks/" + subscription + "/deliveries?max_results=1000")
                    .json()
                    .path("deliveries");
            assertThat(deliveries).hasSize(EVENTS);
            assertThat(deliveries.findValuesAsText("status")).containsOnly("DELIVERED");
            assertThat(deliveries.findValuesAsText("attempts")).containsOnly("1");
        } finally {
            TestDatabases.drop(store);
        }
    }
}
