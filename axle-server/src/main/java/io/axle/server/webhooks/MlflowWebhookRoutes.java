package io.axle.server.webhooks;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.server.http.Json;
import io.axle.server.http.MlflowApi;
import io.axle.server.http.RequestMessage;
import io.axle.server.http.Requests;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * MLflow 3's webhook API, {@code /api/2.0/mlflow/webhooks}: subscriptions made here get MLflow's payloads and its
 * X-MLflow-* headers besides the Standard Webhooks ones.
 */
public final class MlflowWebhookRoutes {
    private final WebhookService webhooks;
    private final Json json;

    public MlflowWebhookRoutes(WebhookService webhooks, Json json) {
        this.webhooks = requireNonNull(webhooks, "webhooks is null");
        this.json = requireNonNull(json, "json is null");
    }

    public void register(RoutesConfig routes) {
        MlflowApi.post(routes, "webhooks", this::create);
        MlflowApi.get(routes, "webhooks", this::list);
        MlflowApi.get(routes, "webhooks/{webhook_id}", this::get);
        MlflowApi.patch(routes, "webhooks/{webhook_id}", this::update);
        MlflowApi.delete(routes, "webhooks/{webhook_id}", this::delete);
        MlflowApi.post(routes, "webhooks/{webhook_id}/test", this::test);
    }

    record Event(String entity, String action) {}

    /** MLflow's Webhook message. */
    record Webhook(
            String webhookId,
            String name,
            String description,
            String url,
            List<Event> events,
            WebhookStatus status,
            long creationTimestamp,
            long lastUpdatedTimestamp) {}

    record WebhookResponse(Webhook webhook) {}

    record WebhooksResponse(List<Webhook> webhooks, Optional<String> nextPageToken) {}

    record TestResponse(TestResult result) {}

    private void create(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        CreatedSubscription created = webhooks.create(new NewSubscription(
                request.requiredString("name"),
                request.string("description").orElse(""),
                request.requiredString("url"),
                MlflowEvent.eventTypes(events(request)),
                request.string("secret").filter(secret -> !secret.isEmpty()),
                request.enumText("status").map(WebhookRoutes::status).orElse(WebhookStatus.ACTIVE),
                Flavor.MLFLOW));
        json.respond(ctx, new WebhookResponse(webhook(created.subscription())));
    }

    private void list(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        WebhookService.SubscriptionPage page = webhooks.list(
                Flavor.MLFLOW,
                request.int32("max_results").orElse(WebhookService.DEFAULT_MAX_RESULTS),
                request.string("page_token"));
        json.respond(
                ctx,
                new WebhooksResponse(
                        page.subscriptions().stream()
                                .map(MlflowWebhookRoutes::webhook)
                                .toList(),
                        page.nextPageToken()));
    }

    private void get(Context ctx) {
        json.respond(ctx, new WebhookResponse(webhook(webhooks.get(ctx.pathParam("webhook_id")))));
    }

    private void update(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        SubscriptionUpdate update = new SubscriptionUpdate(
                request.string("name"),
                request.string("description"),
                request.string("url"),
                request.size("events") > 0 ? Optional.of(MlflowEvent.eventTypes(events(request))) : Optional.empty(),
                request.string("secret").filter(secret -> !secret.isEmpty()),
                request.enumText("status").map(WebhookRoutes::status));
        json.respond(ctx, new WebhookResponse(webhook(webhooks.update(ctx.pathParam("webhook_id"), update))));
    }

    private void delete(Context ctx) {
        webhooks.delete(ctx.pathParam("webhook_id"));
        json.respond(ctx, Map.of());
    }

    private void test(Context ctx) {
        json.respond(ctx, new TestResponse(webhooks.test(ctx.pathParam("webhook_id"))));
    }

    /** {@code events} as objects {@code {"entity", "action"}} or as strings {@code "entity.action"}. */
    private static List<MlflowEvent> events(RequestMessage request) {
        List<MlflowEvent> events = new ArrayList<>();
        if (request.size("events") == 0) {
            throw AxleException.invalidParameter("Missing value for required parameter 'events': a webhook needs "
                    + "at least one event such as {\"entity\": \"model_version\", \"action\": \"created\"}.");
        }
        Optional<List<RequestMessage>> objects = asObjects(request);
        if (objects.isPresent()) {
            for (RequestMessage event : objects.get()) {
                events.add(MlflowEvent.parse(event.requiredString("entity"), event.requiredString("action")));
            }
            return events;
        }
        for (String name : request.strings("events")) {
            int dot = name.indexOf('.');
            if (dot < 0) {
                throw AxleException.invalidParameter(
                        "Invalid webhook event '" + name + "': use entity.action, e.g. model_version.created.");
            }
            events.add(MlflowEvent.parse(name.substring(0, dot), name.substring(dot + 1)));
        }
        return events;
    }

    // MLflow's clients send objects; a list of "entity.action" strings is accepted as well
    private static Optional<List<RequestMessage>> asObjects(RequestMessage request) {
        try {
            return Optional.of(request.messages("events"));
        } catch (AxleException notObjects) {
            return Optional.empty();
        }
    }

    private static Webhook webhook(Subscription subscription) {
        return new Webhook(
                subscription.id(),
                subscription.name(),
                subscription.description(),
                subscription.url(),
                MlflowEvent.covering(java.util.Set.copyOf(subscription.eventTypes())).stream()
                        .map(event -> new Event(
                                event.entity().toUpperCase(Locale.ROOT),
                                event.action().toUpperCase(Locale.ROOT)))
                        .toList(),
                subscription.status(),
                subscription.creationTimestamp(),
                subscription.lastUpdatedTimestamp());
    }
}
