package io.axle.server.ui;

import static java.util.Objects.requireNonNull;

import io.axle.server.events.EventType;
import io.axle.server.webhooks.Delivery;
import io.axle.server.webhooks.DeliveryStatus;
import io.axle.server.webhooks.Subscription;
import io.axle.server.webhooks.WebhookStatus;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Webhook subscriptions (never their secrets), one subscription's delivery log, and redelivery. */
public final class WebhookPage {
    /** The most deliveries a subscription's page shows. */
    static final int DELIVERIES = 50;

    private final UiServices services;
    private final Pages pages;

    WebhookPage(UiServices services, Pages pages) {
        this.services = requireNonNull(services, "services is null");
        this.pages = requireNonNull(pages, "pages is null");
    }

    void register(RoutesConfig routes) {
        routes.get("/webhooks", pages.page(this::list));
        routes.get("/webhooks/{id}", pages.page(this::show));
        routes.post("/webhooks/{id}/deliveries/{delivery}/redeliver", pages.action(this::redeliver));
    }

    /** A subscription as the pages show it: no secret, only whether it has one. */
    public record Row(
            String id,
            String name,
            String description,
            String url,
            String events,
            WebhookStatus status,
            String badge,
            String flavor,
            boolean hasSecret,
            long created,
            long lastUpdated) {}

    /** One delivery of the log. */
    public record DeliveryRow(
            long id,
            String webhookId,
            String event,
            long eventSeq,
            DeliveryStatus status,
            String badge,
            int attempts,
            Optional<Integer> httpStatus,
            Optional<Long> latencyMillis,
            long lastAttempt,
            long nextAttempt,
            Optional<String> error,
            Optional<String> response) {}

    /** The webhooks page. */
    public record ListView(Chrome chrome, List<Row> rows, long now) {}

    /** One subscription's page. */
    public record View(Chrome chrome, Row webhook, List<DeliveryRow> deliveries, int shown, long now) {}

    private void list(Context ctx) {
        List<Row> rows =
                services.webhooks().list().stream().map(WebhookPage::row).toList();
        pages.render(
                ctx,
                "webhooks.jte",
                new ListView(
                        pages.chrome(ctx, "Webhooks", Section.WEBHOOKS),
                        rows,
                        services.clock().millis()));
    }

    private void show(Context ctx) {
        Subscription subscription = services.webhooks().get(ctx.pathParam("id"));
        List<DeliveryRow> deliveries = services.webhooks().deliveries(subscription.id(), DELIVERIES).stream()
                .map(WebhookPage::delivery)
                .toList();
        pages.render(
                ctx,
                "webhook.jte",
                new View(
                        pages.chrome(ctx, "Webhook " + subscription.name(), Section.WEBHOOKS),
                        row(subscription),
                        deliveries,
                        DELIVERIES,
                        services.clock().millis()));
    }

    private void redeliver(Context ctx) {
        Subscription subscription = services.webhooks().get(ctx.pathParam("id"));
        long deliveryId = deliveryId(ctx.pathParam("delivery"));
        Delivery delivery = services.webhooks().delivery(deliveryId);
        if (!delivery.subscriptionId().equals(subscription.id())) {
            throw new UiException(
                    404, "Delivery " + deliveryId + " is not one of webhook '" + subscription.name() + "'.");
        }
        services.webhooks().redeliver(deliveryId);
        pages.redirect(
                ctx,
                "/webhooks/" + Fmt.seg(subscription.id()),
                "Delivery " + deliveryId + " (" + delivery.eventType().name()
                        + ") is queued to be sent again with the same webhook-id.");
    }

    private static long deliveryId(String text) {
        try {
            long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new UiException(400, "'" + text + "' is not a delivery id (a positive number).");
    }

    static Row row(Subscription subscription) {
        return new Row(
                subscription.id(),
                subscription.name(),
                subscription.description(),
                subscription.url(),
                subscription.eventTypes().stream().map(EventType::name).collect(Collectors.joining(", ")),
                subscription.status(),
                subscription.status() == WebhookStatus.ACTIVE ? "ok" : "warn",
                subscription.flavor().name(),
                subscription.hasSecret(),
                subscription.creationTimestamp(),
                subscription.lastUpdatedTimestamp());
    }

    static DeliveryRow delivery(Delivery delivery) {
        long lastAttempt = delivery.attemptLog().stream()
                .mapToLong(Delivery.Attempt::startedTimestamp)
                .max()
                .orElse(0);
        return new DeliveryRow(
                delivery.id(),
                delivery.webhookId(),
                delivery.eventType().name(),
                delivery.eventSeq(),
                delivery.status(),
                switch (delivery.status()) {
                    case DELIVERED -> "ok";
                    case PENDING, SENDING -> "warn";
                    case FAILED -> "bad";
                },
                delivery.attempts(),
                delivery.httpStatus(),
                delivery.latencyMillis(),
                lastAttempt,
                delivery.status() == DeliveryStatus.PENDING ? delivery.nextAttemptTimestamp() : 0,
                delivery.error(),
                delivery.responseSnippet());
    }
}
