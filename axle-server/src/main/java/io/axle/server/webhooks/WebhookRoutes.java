package io.axle.server.webhooks;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.server.events.EventType;
import io.axle.server.http.Json;
import io.axle.server.http.RequestMessage;
import io.axle.server.http.Requests;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Axle's webhook API under {@code /api/2.0/axle/webhooks}: subscriptions, their delivery log, redelivery, tests. */
public final class WebhookRoutes {
    private static final String BASE = "/api/2.0/axle/webhooks";

    private final WebhookService webhooks;
    private final Json json;

    public WebhookRoutes(WebhookService webhooks, Json json) {
        this.webhooks = requireNonNull(webhooks, "webhooks is null");
        this.json = requireNonNull(json, "json is null");
    }

    public void register(RoutesConfig routes) {
        routes.post(BASE, this::create);
        routes.get(BASE, this::list);
        routes.get(BASE + "/deliveries/{delivery_id}", this::delivery);
        routes.post(BASE + "/deliveries/{delivery_id}/redeliver", this::redeliver);
        routes.get(BASE + "/{id}", this::get);
        routes.patch(BASE + "/{id}", this::update);
        routes.delete(BASE + "/{id}", this::delete);
        routes.get(BASE + "/{id}/deliveries", this::deliveries);
        routes.post(BASE + "/{id}/test", this::test);
    }

    record WebhookResponse(Subscription webhook) {}

    /** {@code secret} only when Axle generated it: the one time it is shown. */
    record CreatedResponse(Subscription webhook, Optional<String> secret) {}

    record WebhooksResponse(List<Subscription> webhooks) {}

    record DeliveryResponse(Delivery delivery) {}

    record DeliveriesResponse(List<Delivery> deliveries) {}

    record TestResponse(TestResult result) {}

    private void create(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        CreatedSubscription created = webhooks.create(new NewSubscription(
                request.requiredString("name"),
                request.string("description").orElse(""),
                request.requiredString("url"),
                eventTypes(request.strings("event_types")),
                request.string("secret"),
                status(request).orElse(WebhookStatus.ACTIVE),
                Flavor.AXLE));
        json.respond(ctx, new CreatedResponse(created.subscription(), created.generatedSecret()));
    }

    private void list(Context ctx) {
        json.respond(ctx, new WebhooksResponse(webhooks.list()));
    }

    private void get(Context ctx) {
        json.respond(ctx, new WebhookResponse(webhooks.get(ctx.pathParam("id"))));
    }

    private void update(Context ctx) {
        RequestMessage request = Requests.message(ctx, json);
        SubscriptionUpdate update = new SubscriptionUpdate(
                request.string("name"),
                request.string("description"),
                request.string("url"),
                request.has("event_types") ? Optional.of(eventTypes(request.strings("event_types"))) : Optional.empty(),
                request.string("secret"),
                status(request));
        json.respond(ctx, new WebhookResponse(webhooks.update(ctx.pathParam("id"), update)));
    }

    private void delete(Context ctx) {
        webhooks.delete(ctx.pathParam("id"));
        json.respond(ctx, Map.of());
    }

    private void deliveries(Context ctx) {
        int maxResults = Requests.message(ctx, json).int32("max_results").orElse(WebhookService.DEFAULT_MAX_RESULTS);
        json.respond(ctx, new DeliveriesResponse(webhooks.deliveries(ctx.pathParam("id"), maxResults)));
    }

    private void delivery(Context ctx) {
        json.respond(ctx, new DeliveryResponse(webhooks.delivery(deliveryId(ctx))));
    }

    private void redeliver(Context ctx) {
        json.respond(ctx, new DeliveryResponse(webhooks.redeliver(deliveryId(ctx))));
    }

    private void test(Context ctx) {
        json.respond(ctx, new TestResponse(webhooks.test(ctx.pathParam("id"))));
    }

    private static long deliveryId(Context ctx) {
        String text = ctx.pathParam("delivery_id");
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw AxleException.invalidParameter("Delivery ID '" + text + "' is not a number.");
        }
    }

    private static Optional<WebhookStatus> status(RequestMessage request) {
        return request.string("status").map(WebhookRoutes::status);
    }

    static WebhookStatus status(String text) {
        try {
            return WebhookStatus.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw AxleException.invalidParameter("Invalid webhook status '" + text + "': use ACTIVE or DISABLED.");
        }
    }

    private static Set<EventType> eventTypes(List<String> names) {
        Set<EventType> types = new TreeSet<>();
        for (String name : names) {
            try {
                types.add(EventType.valueOf(name.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw AxleException.invalidParameter("Unknown event type '" + name + "' in 'event_types'. Known: "
                        + List.of(EventType.values()) + ".");
            }
        }
        return types;
    }
}
