package io.axle.server.webhooks;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.server.db.Database;
import io.axle.server.db.Dialect;
import io.axle.server.events.EventLog;
import io.axle.server.events.PollingLoop;
import io.axle.server.events.RegistryEvent;
import io.axle.server.webhooks.WebhookDao.DeliveryRow;
import io.axle.server.webhooks.WebhookDao.SubscriptionRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers webhooks from the outbox, at least once, on a background virtual thread. Each round it fans new registry
 * events out into one delivery row per matching subscription, claims due deliveries with row locks (skipping those
 * another replica holds, on PostgreSQL), sends them outside any transaction, and records each attempt. A claim is a
 * lease: a delivery whose sender died is taken again when its lease runs out, with the same webhook-id.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final int FANOUT_BATCH = 500;
    private static final int CLAIM_BATCH = 32;
    private static final int BACKOFF_FACTOR = 3;
    private static final int STORED_TEXT = 1000;

    private final Database database;
    private final EventLog events;
    private final WebhookService service;
    private final WebhookSender sender;
    private final Payloads payloads;
    private final WebhookConfig config;
    private final LongSupplier clock;
    private final PollingLoop loop;

    Dispatcher(
            Database database,
            EventLog events,
            WebhookService service,
            WebhookSender sender,
            Payloads payloads,
            WebhookConfig config,
            LongSupplier clock) {
        this.database = requireNonNull(database, "database is null");
        this.events = requireNonNull(events, "events is null");
        this.service = requireNonNull(service, "service is null");
        this.sender = requireNonNull(sender, "sender is null");
        this.payloads = requireNonNull(payloads, "payloads is null");
        this.config = requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.loop = new PollingLoop(
                "axle-webhook-dispatcher",
                config.pollInterval(),
                config.attemptTimeout().plusSeconds(5),
                this::runOnce);
    }

    /** Starts the background loop. */
    public void start() {
        loop.start();
    }

    /** Makes the loop look for work now instead of at its next poll. */
    public void poke() {
        loop.poke();
    }

    /** One round: fan out new events, then send what is due. Returns how many attempts were made. */
    int runOnce() {
        fanOut();
        List<Claimed> claimed = claim();
        if (claimed.isEmpty()) {
            return 0;
        }
        List<Thread> senders = new ArrayList<>(claimed.size());
        for (Claimed delivery : claimed) {
            senders.add(Thread.ofVirtual().name("axle-webhook-send").start(() -> deliver(delivery)));
        }
        for (Thread thread : senders) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                senders.forEach(Thread::interrupt);
                break;
            }
        }
        return claimed.size();
    }

    private void fanOut() {
        long cursor =
                database.withHandle(handle -> handle.attach(WebhookDao.class).fanoutCursor());
        List<RegistryEvent> batch = events.after(cursor, FANOUT_BATCH);
        if (batch.isEmpty()) {
            return;
        }
        database.useTransaction(handle -> {
            WebhookDao dao = handle.attach(WebhookDao.class);
            Optional<Long> locked = switch (database.dialect()) {
                case POSTGRESQL -> dao.lockFanoutUnlessLocked();
                case H2 -> Optional.of(dao.lockFanout());
            };
            if (locked.isEmpty() || locked.get() != cursor) {
                return; // another replica fans these out, or already did
            }
            List<SubscriptionRow> subscriptions = dao.activeSubscriptions();
            long now = clock.getAsLong();
            for (RegistryEvent event : batch) {
                for (SubscriptionRow subscription : subscriptions) {
                    if (event.seq() > subscription.afterSeq()
                            && WebhookService.eventTypes(subscription.eventTypes())
                                    .contains(event.type())) {
                        Flavor flavor = Flavor.valueOf(subscription.flavor());
                        dao.insertDelivery(
                                subscription.subscriptionId(),
                                event.seq(),
                                event.type().name(),
                                "msg_" + service.newId(),
                                payloads.render(event, flavor),
                                now);
                    }
                }
            }
            dao.advanceFanout(batch.getLast().seq());
        });
    }

    private record Claimed(long deliveryId, String token) {}

    private List<Claimed> claim() {
        boolean anyDue = !database.withHandle(
                        handle -> handle.attach(WebhookDao.class).peekDue(clock.getAsLong(), 1))
                .isEmpty();
        if (!anyDue) {
            return List.of();
        }
        String token = service.newId();
        return database.inTransaction(handle -> {
            WebhookDao dao = handle.attach(WebhookDao.class);
            long now = clock.getAsLong();
            List<Long> due = database.dialect() == Dialect.POSTGRESQL
                    ? dao.dueUnlessLocked(now, CLAIM_BATCH)
                    : dao.due(now, CLAIM_BATCH);
            long leaseUntil = now + config.lease().toMillis();
            List<Claimed> claimed = new ArrayList<>(due.size());
            for (long id : due) {
                dao.claim(id, token, leaseUntil, now);
                claimed.add(new Claimed(id, token));
            }
            return claimed;
        });
    }

    private void deliver(Claimed claimed) {
        Optional<DeliveryRow> found =
                database.withHandle(handle -> handle.attach(WebhookDao.class).findDelivery(claimed.deliveryId()));
        if (found.isEmpty()) {
            return; // its subscription was deleted meanwhile
        }
        DeliveryRow delivery = found.get();
        Optional<SubscriptionRow> subscription = database.withHandle(
                handle -> handle.attach(WebhookDao.class).findSubscription(delivery.subscriptionId()));
        if (subscription.isEmpty()) {
            return;
        }
        long started = clock.getAsLong();
        AttemptResult result;
        if (!subscription.get().status().equals(WebhookStatus.ACTIVE.name())) {
            result = AttemptResult.failed(0, "Not sent: the webhook is disabled");
            record(claimed, delivery, started, result, DeliveryStatus.FAILED, started);
            return;
        }
        result = attempt(subscription.get(), delivery);
        int attempts = delivery.attempts() + 1;
        long now = clock.getAsLong();
        if (result.succeeded()) {
            record(claimed, delivery, started, result, DeliveryStatus.DELIVERED, now);
        } else if (result.gone()) {
            // the delivery's outcome and the subscription's end commit together: a reader never sees one alone
            record(claimed, delivery, started, result, DeliveryStatus.FAILED, now, true);
            log.info(
                    "Webhook {} answered 410 Gone: disabled it (delivery {})",
                    delivery.subscriptionId(),
                    delivery.deliveryId());
        } else if (attempts >= config.maxAttempts()) {
            record(claimed, delivery, started, result, DeliveryStatus.FAILED, now);
        } else {
            record(claimed, delivery, started, result, DeliveryStatus.PENDING, now + backoff(config, attempts, result));
        }
    }

    private AttemptResult attempt(SubscriptionRow subscription, DeliveryRow delivery) {
        Endpoint endpoint;
        try {
            endpoint = service.endpoint(subscription);
        } catch (AxleException e) {
            // a secret the key cannot open: a failed attempt that says why, retried in case the key is put right
            return AttemptResult.failed(0, e.getMessage());
        }
        return sender.send(endpoint, delivery.webhookId(), delivery.body());
    }

    /** The wait before the next attempt: exponential with jitter, or longer when the endpoint asked so. */
    static long backoff(WebhookConfig config, int attemptsMade, AttemptResult result) {
        double exponential = config.initialBackoff().toMillis() * Math.pow(BACKOFF_FACTOR, attemptsMade - 1);
        long capped = (long) Math.min(exponential, config.maxBackoff().toMillis());
        // "equal jitter": half the wait fixed, half random, so replicas that failed together do not retry together
        long wait = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        long asked = result.retryAfter()
                .map(Duration::toMillis)
                .map(millis -> Math.min(millis, config.maxBackoff().toMillis()))
                .orElse(0L);
        return Math.max(wait, asked);
    }

    private void record(
            Claimed claimed,
            DeliveryRow delivery,
            long started,
            AttemptResult result,
            DeliveryStatus status,
            long nextAttemptTime) {
        record(claimed, delivery, started, result, status, nextAttemptTime, false);
    }

    private void record(
            Claimed claimed,
            DeliveryRow delivery,
            long started,
            AttemptResult result,
            DeliveryStatus status,
            long nextAttemptTime,
            boolean disableSubscription) {
        String snippet = result.responseSnippet().map(Dispatcher::stored).orElse(null);
        String error = result.error().map(Dispatcher::stored).orElse(null);
        database.useTransaction(handle -> {
            WebhookDao dao = handle.attach(WebhookDao.class);
            int updated = dao.recordOutcome(
                    claimed.deliveryId(),
                    claimed.token(),
                    status.name(),
                    delivery.attempts() + 1,
                    nextAttemptTime,
                    result.httpStatus().orElse(null),
                    result.latencyMillis(),
                    snippet,
                    error,
                    clock.getAsLong());
            if (updated == 0) {
                return; // the lease ran out and another dispatcher took it over: its attempt is the one recorded
            }
            dao.insertAttempt(
                    claimed.deliveryId(),
                    dao.lastAttempt(claimed.deliveryId()) + 1,
                    started,
                    result.httpStatus().orElse(null),
                    result.latencyMillis(),
                    snippet,
                    error);
            if (disableSubscription) {
                dao.setSubscriptionStatus(delivery.subscriptionId(), WebhookStatus.DISABLED.name(), clock.getAsLong());
            }
        });
    }

    private static String stored(String text) {
        return text.length() <= STORED_TEXT ? text : text.substring(0, STORED_TEXT);
    }

    /** Stops the loop, waiting for the attempts in flight to end (they are cut off at their timeout). */
    @Override
    public void close() {
        loop.close();
    }
}
