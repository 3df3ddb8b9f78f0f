package io.axle.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.server.AxleServer;
import io.axle.server.db.BackendStore;
import io.axle.server.db.Dialect;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.ApiClient.Response;
import io.axle.server.testing.TestDatabases;
import io.axle.server.webhooks.WebhookReceiver.Answer;
import io.axle.server.webhooks.WebhookReceiver.Received;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Registry events delivered to a real receiver that checks signatures, on H2 and on PostgreSQL. */
@ParameterizedClass
@EnumSource(Dialect.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookDeliveryTest {
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String AXLE = "/api/2.0/axle/webhooks";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Parameter
    Dialect dialect;

    private BackendStore store;
    private AxleServer server;
    private ApiClient api;

    @BeforeParameterizedClassInvocation
    void start() throws IOException {
        store = TestDatabases.create(dialect);
        Path data = Files.createTempDirectory("axle-webhook-delivery");
        server = WebhookServers.start(store, data, WebhookServers.fast(data));
        api = new ApiClient(server.url());
    }

    @AfterParameterizedClassInvocation
    void stop() {
        if (server != null) {
            server.close();
        }
        if (store != null) {
            TestDatabases.drop(store);
        }
    }

    @Test
    void deliversEventsSignedPerStandardWebhooksAndLogsTheAttempt() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET)) {
            String id = subscribe(receiver, SECRET);
            String model = createModel();
            Received got = awaitOne(receiver);
            assertThat(got.standardSignatureValid()).isTrue();
            assertThat(got.webhookId()).startsWith("msg_");
            assertThat(got.timestamp())
                    .isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(30L));
            assertThat(got.mlflowDeliveryId()).isEmpty();
            JsonNode body = MAPPER.readTree(got.body());
            assertThat(body.path("type").asText()).isEqualTo("MODEL_CREATED");
            assertThat(body.path("data").path("model_name").asText()).isEqualTo(model);
            assertThat(body.path("data").path("seq").asLong()).isPositive();

            JsonNode delivery = awaitDelivery(id, d -> d.path("status").asText().equals("DELIVERED"));
            assertThat(delivery.path("webhook_id").asText()).isEqualTo(got.webhookId());
            assertThat(delivery.path("attempts").asInt()).isEqualTo(1);
            assertThat(delivery.path("http_status").asInt()).isEqualTo(200);
            assertThat(delivery.path("response_snippet").asText()).isEqualTo("answer 200");
            assertThat(delivery.path("latency_millis").isNumber()).isTrue();
            assertThat(delivery.path("attempt_log")).hasSize(1);
            unsubscribe(id);
        }
    }

    @Test
    void mlflowSubscriptionsGetMlflowsPayloadAndHeadersToo() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver("plain-secret")) {
            String id = ok(api.post(
                            "webhooks",
                            Map.of(
                                    "name",
                                    "mlflow",
                                    "url",
                                    receiver.url(),
                                    "secret",
                                    "plain-secret",
                                    "events",
                                    List.of(Map.of("entity", "registered_model", "action", "created")))))
                    .path("webhook")
                    .path("webhook_id")
                    .asText();
            String model = createModel();
            Received got = awaitOne(receiver);
            assertThat(got.standardSignatureValid()).isTrue();
            assertThat(got.mlflowSignatureValid()).contains(true);
            assertThat(got.mlflowDeliveryId()).contains(got.webhookId());
            JsonNode body = MAPPER.readTree(got.body());
            assertThat(body.path("entity").asText()).isEqualTo("registered_model");
            assertThat(body.path("action").asText()).isEqualTo("created");
            assertThat(body.path("data").path("name").asText()).isEqualTo(model);
            unsubscribe(id);
        }
    }

    @Test
    void retriesWithTheSameWebhookIdUntilTheEndpointAnswers2xx() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET)) {
            receiver.answerNext(Answer.status(500), Answer.status(502));
            String id = subscribe(receiver, SECRET);
            createModel();
            List<Received> got = receiver.await(all -> all.size() >= 3, WAIT);
            assertThat(got).hasSize(3);
            assertThat(WebhookReceiver.ids(got)).containsOnly(got.getFirst().webhookId());
            assertThat(got).allMatch(Received::standardSignatureValid);
            JsonNode delivery = awaitDelivery(id, d -> d.path("status").asText().equals("DELIVERED"));
            assertThat(delivery.path("attempts").asInt()).isEqualTo(3);
            assertThat(delivery.path("attempt_log").findValuesAsText("http_status"))
                    .containsExactly("500", "502", "200");
            assertThat(delivery.path("attempt_log")
                            .get(0)
                            .path("response_snippet")
                            .asText())
                    .isEqualTo("answer 500");
            unsubscribe(id);
        }
    }

    @Test
    void honoursRetryAfter() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET)) {
            receiver.answerNext(new Answer(503, Map.of("Retry-After", "2"), Duration.ZERO));
            String id = subscribe(receiver, SECRET);
            createModel();
            List<Received> got = receiver.await(all -> all.size() >= 2, WAIT);
            assertThat(got).hasSize(2);
            // the first retry would come after 50 to 100 ms without the endpoint's request
            assertThat(got.get(1).receivedAtMillis() - got.get(0).receivedAtMillis())
                    .isGreaterThanOrEqualTo(1900);
            unsubscribe(id);
        }
    }

    @Test
    void anAttemptWithoutAnAnswerInTimeIsCutOffAndRetried() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET)) {
            receiver.answerNext(new Answer(200, Map.of(), Duration.ofSeconds(4)));
            String id = subscribe(receiver, SECRET);
            createModel();
            JsonNode delivery = awaitDelivery(id, d -> d.path("status").asText().equals("DELIVERED"));
            assertThat(delivery.path("attempts").asInt()).isEqualTo(2);
            JsonNode first = delivery.path("attempt_log").get(0);
            assertThat(first.path("error").asText()).contains("No answer within 2000 ms");
            assertThat(first.has("http_status")).isFalse();
            unsubscribe(id);
        }
    }

    @Test
    void gone410DisablesTheSubscription() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET)) {
            receiver.answerNext(Answer.status(410));
            String id = subscribe(receiver, SECRET);
            createModel();
            JsonNode delivery = awaitDelivery(id, d -> d.path("status").asText().equals("FAILED"));
            assertThat(delivery.path("http_status").asInt()).isEqualTo(410);
            assertThat(ok(api.get(AXLE + "/" + id))
                            .path("webhook")
                            .path("status")
                            .asText())
                    .isEqualTo("DISABLED");
            createModel();
            Thread.sleep(500);
            assertThat(receiver.received()).hasSize(1);
            Response refused =
                    api.post(AXLE + "/deliveries/" + delivery.path("id").asLong() + "/redeliver", Map.of());
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.errorCode()).isEqualTo("INVALID_STATE");
            unsubscribe(id);
        }
    }

    @Test
    void redeliverySendsAgainWithTheSameWebhookId() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET)) {
            String id = subscribe(receiver, SECRET);
            createModel();
            JsonNode delivered =
                    awaitDelivery(id, d -> d.path("status").asText().equals("DELIVERED"));
            long deliveryId = delivered.path("id").asLong();
            JsonNode redelivered = ok(api.post(AXLE + "/deliveries/" + deliveryId + "/redeliver", Map.of()))
                    .path("delivery");
            assertThat(redelivered.path("webhook_id").asText())
                    .isEqualTo(delivered.path("webhook_id").asText());
            List<Received> got = receiver.await(all -> all.size() >= 2, WAIT);
            assertThat(got).hasSize(2);
            assertThat(got.get(1).webhookId()).isEqualTo(got.get(0).webhookId());
            assertThat(got.get(1).body()).isEqualTo(got.get(0).body());
            JsonNode after = awaitDelivery(
                    id,
                    d -> d.path("attempt_log").size() == 2
                            && d.path("status").asText().equals("DELIVERED"));
            assertThat(after.path("attempt_log").findValuesAsText("attempt")).containsExactly("1", "2");
            unsubscribe(id);
        }
    }

    @Test
    void eventsBeforeASubscriptionAndOfOtherTypesAreNotDelivered() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET)) {
            String before = createModel();
            String id = ok(api.post(
                            AXLE,
                            Map.of(
                                    "name",
                                    "tags",
                                    "url",
                                    receiver.url(),
                                    "secret",
                                    SECRET,
                                    "event_types",
                                    List.of("MODEL_TAG_SET"))))
                    .path("webhook")
                    .path("id")
                    .asText();
            createModel();
            ok(api.post("registered-models/set-tag", Map.of("name", before, "key", "k", "value", "v")));
            Received got = awaitOne(receiver);
            assertThat(MAPPER.readTree(got.body()).path("type").asText()).isEqualTo("MODEL_TAG_SET");
            Thread.sleep(300);
            assertThat(receiver.received()).hasSize(1);
            unsubscribe(id);
        }
    }

    private String subscribe(WebhookReceiver receiver, String secret) {
        return ok(api.post(
                        AXLE,
                        Map.of(
                                "name",
                                "receiver",
                                "url",
                                receiver.url(),
                                "secret",
                                secret,
                                "event_types",
                                List.of("MODEL_CREATED"))))
                .path("webhook")
                .path("id")
                .asText();
    }

    private void unsubscribe(String id) {
        ok(api.delete(AXLE + "/" + id, Map.of()));
    }

    private String createModel() {
        String name = "hooked-" + dialect.name().toLowerCase(java.util.Locale.ROOT) + "-" + NAMES.incrementAndGet();
        ok(api.post("registered-models/create", Map.of("name", name)));
        return name;
    }

    private Received awaitOne(WebhookReceiver receiver) throws InterruptedException {
        List<Received> got = receiver.await(all -> !all.isEmpty(), WAIT);
        assertThat(got).hasSize(1);
        return got.getFirst();
    }

    private JsonNode awaitDelivery(String subscriptionId, Predicate<JsonNode> until) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode last = MAPPER.nullNode();
        while (System.nanoTime() < deadline) {
            JsonNode deliveries =
                    ok(api.get(AXLE + "/" + subscriptionId + "/deliveries")).path("deliveries");
            if (!deliveries.isEmpty()) {
                last = deliveries.get(0);
                if (until.test(last)) {
                    return last;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("No delivery as expected for " + subscriptionId + "; last seen: " + last);
    }

    private static JsonNode ok(Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }
}
