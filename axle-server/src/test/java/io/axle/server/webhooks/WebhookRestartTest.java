package io.axle.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.server.AxleServer;
import io.axle.server.db.BackendStore;
import io.axle.server.db.Database;
import io.axle.server.db.Dialect;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.ApiClient.Response;
import io.axle.server.testing.TestDatabases;
import io.axle.server.webhooks.WebhookReceiver.Answer;
import io.axle.server.webhooks.WebhookReceiver.Received;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Nothing is lost when a server stops between an event and its delivery: the next server on the same database sends
 * it, with the webhook-id it had. On H2 and PostgreSQL.
 */
@ParameterizedClass
@EnumSource(Dialect.class)
class WebhookRestartTest {
    private static final String AXLE = "/api/2.0/axle/webhooks";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Parameter
    Dialect dialect;

    @TempDir
    Path data;

    private BackendStore store;
    private WebhookReceiver receiver;

    @BeforeEach
    void setUp() throws Exception {
        store = TestDatabases.create(dialect);
        receiver = new WebhookReceiver(WebhookDeliveryTest.SECRET);
    }

    @AfterEach
    void tearDown() {
        receiver.close();
        TestDatabases.drop(store);
    }

    @Test
    void anEventNotYetDispatchedWhenTheServerStopsIsDeliveredAfterTheRestart() throws Exception {
        // a dispatcher that looks only once, at start: the event below waits in the outbox
        WebhookConfig idle = WebhookServers.fast(data)
                .withTiming(Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofHours(1));
        try (AxleServer first = WebhookServers.start(store, data, idle)) {
            Thread.sleep(300);
            ApiClient api = new ApiClient(first.url());
            subscribe(api);
            ok(api.post("registered-models/create", Map.of("name", "waiting")));
        }
        assertThat(receiver.received()).isEmpty();

        try (AxleServer second = WebhookServers.start(store, data, WebhookServers.fast(data))) {
            List<Received> got = receiver.await(all -> !all.isEmpty(), WAIT);
            assertThat(got).hasSize(1);
            assertThat(got.getFirst().standardSignatureValid()).isTrue();
            assertThat(got.getFirst().body()).contains("\"model_name\":\"waiting\"");
            Thread.sleep(300);
            assertThat(receiver.received()).hasSize(1);
        }
    }

    @Test
    void aDeliveryThatFailedBeforeTheStopIsRetriedAfterTheRestartWithTheSameWebhookId() throws Exception {
        receiver.answerOtherwise(Answer.status(503));
        String subscription;
        try (AxleServer first = WebhookServers.start(store, data, WebhookServers.fast(data))) {
            ApiClient api = new ApiClient(first.url());
            subscription = subscribe(api);
            ok(api.post("registered-models/create", Map.of("name", "retried")));
            assertThat(receiver.await(all -> !all.isEmpty(), WAIT)).isNotEmpty();
        }
        String webhookId = receiver.received().getFirst().webhookId();
        receiver.answerOtherwise(Answer.status(200));

        try (AxleServer second = WebhookServers.start(store, data, WebhookServers.fast(data))) {
            List<Received> got = receiver.await(
                    all -> all.getLast().webhookId().equals(webhookId) && delivered(second, subscription), WAIT);
            assertThat(WebhookReceiver.ids(got)).containsOnly(webhookId);
            assertThat(got).allMatch(Received::standardSignatureValid);
        }
    }

    @Test
    void aDeliveryWhoseSenderDiedIsTakenAgainWhenItsLeaseRunsOut() throws Exception {
        receiver.answerOtherwise(Answer.status(503));
        String subscription;
        try (AxleServer first = WebhookServers.start(store, data, WebhookServers.fast(data))) {
            ApiClient api = new ApiClient(first.url());
            subscription = subscribe(api);
            ok(api.post("registered-models/create", Map.of("name", "leased")));
            assertThat(receiver.await(all -> !all.isEmpty(), WAIT)).isNotEmpty();
        }
        String webhookId = receiver.received().getFirst().webhookId();
        // what a dispatcher killed with -9 in the middle of sending leaves behind: a claim with a lease
        long leaseUntil = System.currentTimeMillis() + 1500;
        try (Database database = Database.open(store, 2)) {
            database.useTransaction(handle -> handle.createUpdate(
                            "UPDATE webhook_deliveries SET status = 'SENDING', claim_token = 'killed', "
                                    + "lease_until = :leaseUntil")
                    .bind("leaseUntil", leaseUntil)
                    .execute());
        }
        int before = receiver.received().size();
        receiver.answerOtherwise(Answer.status(200));

        try (AxleServer second = WebhookServers.start(store, data, WebhookServers.fast(data))) {
            List<Received> got = receiver.await(all -> all.size() > before && delivered(second, subscription), WAIT);
            Received retried = got.get(before);
            assertThat(retried.webhookId()).isEqualTo(webhookId);
            assertThat(retried.receivedAtMillis()).isGreaterThanOrEqualTo(leaseUntil);
        }
    }

    @Test
    void withoutTheAllowListADeliveryToAnInternalAddressIsRefusedAtSendTime() throws Exception {
        String subscription;
        try (AxleServer first = WebhookServers.start(store, data, WebhookServers.fast(data))) {
            subscription = subscribe(new ApiClient(first.url()));
        }
        WebhookConfig guarded =
                WebhookServers.fast(data).withAllowPrivate(List.of()).withMaxAttempts(1);
        try (AxleServer second = WebhookServers.start(store, data, guarded)) {
            ApiClient api = new ApiClient(second.url());
            ok(api.post("registered-models/create", Map.of("name", "internal")));
            JsonNode delivery = awaitFailed(api, subscription);
            assertThat(delivery.path("error").asText()).contains("127.0.0.1").contains("--webhook-allow-private");
            assertThat(receiver.received()).isEmpty();
            Response test = api.post(AXLE + "/" + subscription + "/test", Map.of());
            assertThat(ok(test).path("result").path("success").asBoolean()).isFalse();
            assertThat(receiver.received()).isEmpty();
        }
    }

    private String subscribe(ApiClient api) {
        return ok(api.post(
                        AXLE,
                        Map.of(
                                "name",
                                "restart",
                                "url",
                                receiver.url(),
                                "secret",
                                WebhookDeliveryTest.SECRET,
                                "event_types",
                                List.of("MODEL_CREATED"))))
                .path("webhook")
                .path("id")
                .asText();
    }

    private static boolean delivered(AxleServer server, String subscription) {
        JsonNode deliveries = new ApiClient(server.url())
                .get(AXLE + "/" + subscription + "/deliveries")
                .json()
                .path("deliveries");
        return !deliveries.isEmpty()
                && deliveries.get(0).path("status").asText().equals("DELIVERED");
    }

    private static JsonNode awaitFailed(ApiClient api, String subscription) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode deliveries =
                    ok(api.get(AXLE + "/" + subscription + "/deliveries")).path("deliveries");
            if (!deliveries.isEmpty()
                    && deliveries.get(0).path("status").asText().equals("FAILED")) {
                return deliveries.get(0);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("The delivery did not fail");
    }

    private static JsonNode ok(Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }
}
