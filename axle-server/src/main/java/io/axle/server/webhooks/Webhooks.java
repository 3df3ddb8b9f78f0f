package io.axle.server.webhooks;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.server.db.Database;
import io.axle.server.events.EventLog;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Map;

/** The webhook feature put together: its service, and a dispatcher that runs while the server does. */
public final class Webhooks implements AutoCloseable {
    private final WebhookService service;
    private final WebhookSender sender;
    private final Dispatcher dispatcher;

    private Webhooks(WebhookService service, WebhookSender sender, Dispatcher dispatcher) {
        this.service = requireNonNull(service, "service is null");
        this.sender = requireNonNull(sender, "sender is null");
        this.dispatcher = requireNonNull(dispatcher, "dispatcher is null");
    }

    /** {@code environment} supplies AXLE_SECRET_KEY, the key that encrypts secrets at rest. */
    public static Webhooks create(
            Database database,
            EventLog events,
            ObjectMapper mapper,
            WebhookConfig config,
            InstantSource clock,
            Map<String, String> environment) {
        SecureRandom random = new SecureRandom();
        AddressGuard guard = AddressGuard.parse(config.allowPrivate());
        WebhookSender sender = new WebhookSender(guard, config.attemptTimeout(), clock);
        Payloads payloads = new Payloads(mapper);
        WebhookService service = new WebhookService(
                database,
                events,
                new SecretBox(environment, config.keyFile(), random),
                guard,
                sender,
                payloads,
                clock,
                random);
        Dispatcher dispatcher = new Dispatcher(database, events, service, sender, payloads, config, clock::millis);
        return new Webhooks(service, sender, dispatcher);
    }

    public WebhookService service() {
        return service;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /** Starts delivering in the background. */
    public void start() {
        dispatcher.start();
    }

    @Override
    public void close() {
        dispatcher.close();
        sender.close();
    }
}
