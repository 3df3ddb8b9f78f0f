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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The webhook APIs, Axle's and MLflow 3's, over HTTP on H2 and on PostgreSQL. */
@ParameterizedClass
@EnumSource(Dialect.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookApiTest {
    private static final String AXLE = "/api/2.0/axle/webhooks";
    private static final String MLFLOW = "/api/2.0/mlflow/webhooks";

    @Parameter
    Dialect dialect;

    private BackendStore store;
    private AxleServer server;
    private ApiClient api;
    private WebhookReceiver receiver;

    @BeforeParameterizedClassInvocation
    void start() throws IOException {
        store = TestDatabases.create(dialect);
        Path data = Files.createTempDirectory("axle-webhook-api");
        server = WebhookServers.start(store, data, WebhookServers.fast(data));
        api = new ApiClient(server.url());
        receiver = new WebhookReceiver("unused");
    }

    @AfterParameterizedClassInvocation
    void stop() {
        if (server != null) {
            server.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (store != null) {
            TestDatabases.drop(store);
        }
    }

    @Test
    void createsListsGetsUpdatesAndDeletesASubscription() {
        Response created = api.post(
                AXLE,
                Map.of(
                        "name",
                        "deployer",
                        "url",
                        receiver.url(),
                        "event_types",
                        List.of("ALIAS_SET", "alias_moved"),
                        "description",
                        "tells the deployer"));
        JsonNode webhook = ok(created).path("webhook");
        String id = webhook.path("id").asText();
        assertThat(id).hasSize(32);
        assertThat(webhook.path("event_types").toString()).isEqualTo("[\"ALIAS_SET\",\"ALIAS_MOVED\"]");
        assertThat(webhook.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(webhook.path("flavor").asText()).isEqualTo("AXLE");
        assertThat(webhook.path("has_secret").asBoolean()).isTrue();
        assertThat(created.json().path("secret").asText()).startsWith("whsec_");

        JsonNode fetched = ok(api.get(AXLE + "/" + id)).path("webhook");
        assertThat(fetched.path("name").asText()).isEqualTo("deployer");
        assertThat(fetched.has("secret")).isFalse();
        assertThat(ok(api.get(AXLE)).path("webhooks").findValuesAsText("id")).contains(id);

        JsonNode updated = ok(api.patch(
                        AXLE + "/" + id, Map.of("status", "DISABLED", "event_types", List.of("MODEL_CREATED"))))
                .path("webhook");
        assertThat(updated.path("status").asText()).isEqualTo("DISABLED");
        assertThat(updated.path("event_types").toString()).isEqualTo("[\"MODEL_CREATED\"]");
        assertThat(updated.path("name").asText()).isEqualTo("deployer");

        ok(api.delete(AXLE + "/" + id, Map.of()));
        Response gone = api.get(AXLE + "/" + id);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        assertThat(api.delete(AXLE + "/" + id, Map.of()).status()).isEqualTo(404);
    }

    @Test
    void aSecretGivenIsKeptAndNeverShown() {
        Response created = api.post(
                AXLE,
                Map.of(
                        "name",
                        "given",
                        "url",
                        receiver.url(),
                        "event_types",
                        List.of("MODEL_CREATED"),
                        "secret",
                        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        assertThat(ok(created).has("secret")).isFalse();
        assertThat(created.body()).doesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        String id = created.json().path("webhook").path("id").asText();
        try (Database database = Database.open(store, 2)) {
            String stored = database.withHandle(
                    handle -> handle.createQuery("SELECT secret FROM webhook_subscriptions WHERE subscription_id = :id")
                            .bind("id", id)
                            .mapTo(String.class)
                            .one());
            assertThat(stored).startsWith("v1:").doesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        }
    }

    @Test
    void mlflowShapedCrudAsMlflowsClientsSpeakIt() {
        JsonNode webhook = ok(api.post(
                        MLFLOW,
                        Map.of(
                                "name", "notifier",
                                "url", receiver.url(),
                                "events",
                                        List.of(
                                                Map.of("entity", "model_version", "action", "created"),
                                                Map.of("entity", "MODEL_VERSION_ALIAS", "action", "CREATED")),
                                "description", "new versions",
                                "secret", "my-secret")))
                .path("webhook");
        String id = webhook.path("webhook_id").asText();
        assertThat(webhook.path("name").asText()).isEqualTo("notifier");
        assertThat(webhook.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(webhook.path("events").toString())
                .isEqualTo("[{\"entity\":\"MODEL_VERSION\",\"action\":\"CREATED\"},"
                        + "{\"entity\":\"MODEL_VERSION_ALIAS\",\"action\":\"CREATED\"}]");
        assertThat(webhook.path("creation_timestamp").isNumber()).isTrue();
        assertThat(webhook.has("secret")).isFalse();

        assertThat(ok(api.get(MLFLOW)).path("webhooks").findValuesAsText("webhook_id"))
                .contains(id);
        assertThat(ok(api.get("/ajax-api/2.0/mlflow/webhooks/" + id))
                        .path("webhook")
                        .path("url")
                        .asText())
                .isEqualTo(receiver.url());
        JsonNode updated = ok(api.patch(
                        MLFLOW + "/" + id,
                        Map.of(
                                "status",
                                "DISABLED",
                                "events",
                                List.of(Map.of("entity", "registered_model", "action", "created")))))
                .path("webhook");
        assertThat(updated.path("status").asText()).isEqualTo("DISABLED");
        assertThat(updated.path("events").toString())
                .isEqualTo("[{\"entity\":\"REGISTERED_MODEL\",\"action\":\"CREATED\"}]");
        // the Axle API shows it with its flavor
        assertThat(ok(api.get(AXLE + "/" + id)).path("webhook").path("flavor").asText())
                .isEqualTo("MLFLOW");
        ok(api.delete(MLFLOW + "/" + id, Map.of()));
        assertThat(api.get(MLFLOW + "/" + id).errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void mlflowsListPagesWithMaxResultsAndPageToken() {
        for (int index = 0; index < 3; index++) {
            ok(api.post(
                    MLFLOW,
                    Map.of(
                            "name", "paged-" + index,
                            "url", receiver.url(),
                            "events", List.of(Map.of("entity", "model_version", "action", "created")))));
        }
        List<String> seen = new java.util.ArrayList<>();
        String token = "";
        do {
            JsonNode page = ok(api.get("webhooks?max_results=2" + (token.isEmpty() ? "" : "&page_token=" + token)));
            assertThat(page.path("webhooks").size()).isBetween(1, 2);
            page.path("webhooks")
                    .forEach(webhook -> seen.add(webhook.path("name").asText()));
            token = page.path("next_page_token").asText();
        } while (!token.isEmpty());
        assertThat(seen).contains("paged-0", "paged-1", "paged-2").doesNotHaveDuplicates();
        assertInvalid(api.get("webhooks?page_token=nope"), "page_token");
        assertInvalid(api.get("webhooks?max_results=0"), "max_results");
    }

    @Test
    void invalidRequestsAre400WithMlflowsErrorBody() {
        assertInvalid(api.post(AXLE, Map.of("url", receiver.url(), "event_types", List.of("MODEL_CREATED"))), "name");
        assertInvalid(api.post(AXLE, Map.of("name", "x", "event_types", List.of("MODEL_CREATED"))), "url");
        assertInvalid(api.post(AXLE, Map.of("name", "x", "url", receiver.url())), "event");
        assertInvalid(
                api.post(AXLE, Map.of("name", "x", "url", receiver.url(), "event_types", List.of("NOPE"))), "NOPE");
        assertInvalid(
                api.post(
                        AXLE,
                        Map.of("name", "x", "url", "ftp://example.com/", "event_types", List.of("MODEL_CREATED"))),
                "http");
        assertInvalid(
                api.post(AXLE, Map.of("name", "x", "url", "not a url", "event_types", List.of("MODEL_CREATED"))),
                "URL");
        assertInvalid(
                api.post(
                        AXLE,
                        Map.of(
                                "name",
                                "x",
                                "url",
                                receiver.url(),
                                "event_types",
                                List.of("MODEL_CREATED"),
                                "status",
                                "ON")),
                "status");
        assertInvalid(
                api.post(
                        AXLE,
                        Map.of(
                                "name",
                                "x",
                                "url",
                                receiver.url(),
                                "event_types",
                                List.of("MODEL_CREATED"),
                                "secret",
                                "")),
                "secret");
        assertInvalid(
                api.post(
                        MLFLOW,
                        Map.of(
                                "name",
                                "x",
                                "url",
                                receiver.url(),
                                "events",
                                List.of(Map.of("entity", "run", "action", "created")))),
                "run.created");
        assertInvalid(api.post(MLFLOW, Map.of("name", "x", "url", receiver.url())), "events");
        Response malformed = api.post(AXLE, "{not json");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.errorCode()).isEqualTo("MALFORMED_REQUEST");
        assertThat(api.get(AXLE + "/nope/deliveries").status()).isEqualTo(404);
        assertThat(api.post(AXLE + "/deliveries/abc/redeliver", Map.of()).status())
                .isEqualTo(400);
        assertThat(api.post(AXLE + "/deliveries/999999/redeliver", Map.of()).errorCode())
                .isEqualTo("RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void internalAddressesOutsideTheAllowListAreRefused() {
        for (String url : List.of("http://10.0.0.1/hook", "http://169.254.169.254/", "http://[::1]:9/hook")) {
            Response refused = api.post(AXLE, Map.of("name", "x", "url", url, "event_types", List.of("MODEL_CREATED")));
            assertInvalid(refused, "--webhook-allow-private");
        }
    }

    @Test
    void testSendsASignedRequestAndReportsTheAnswer() {
        String id = ok(api.post(
                        MLFLOW,
                        Map.of(
                                "name", "t",
                                "url", receiver.url(),
                                "events", List.of(Map.of("entity", "model_version", "action", "created")))))
                .path("webhook")
                .path("webhook_id")
                .asText();
        JsonNode result = ok(api.post(MLFLOW + "/" + id + "/test", Map.of())).path("result");
        assertThat(result.path("success").asBoolean()).isTrue();
        assertThat(result.path("response_status").asInt()).isEqualTo(200);
        assertThat(result.path("response_body").asText()).isEqualTo("answer 200");
        assertThat(receiver.received().getLast().body()).contains("\"entity\":\"registered_model\"");
    }

    private static JsonNode ok(Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static void assertInvalid(Response response, String mentioned) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(response.json().path("message").asText()).contains(mentioned);
    }
}
