package io.axle.server.webhooks;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.server.db.Database;
import io.axle.server.events.EventLog;
import io.axle.server.events.EventType;
import io.axle.server.webhooks.WebhookDao.AttemptRow;
import io.axle.server.webhooks.WebhookDao.DeliveryRow;
import io.axle.server.webhooks.WebhookDao.SubscriptionRow;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Webhook subscriptions, their deliveries, redelivery and test sends. Deliveries themselves are the Dispatcher's. */
public final class WebhookService {
    public static final int DEFAULT_MAX_RESULTS = 100;
    public static final int MAX_RESULTS = 1000;
    private static final int MAX_NAME = 256;
    private static final int MAX_DESCRIPTION = 1000;
    private static final int MAX_URL = 2000;
    private static final int MAX_SECRET = 500;

    private final Database database;
    private final EventLog events;
    private final SecretBox secrets;
    private final AddressGuard guard;
    private final WebhookSender sender;
    private final Payloads payloads;
    private final InstantSource clock;
    private final SecureRandom random;

    WebhookService(
            Database database,
            EventLog events,
            SecretBox secrets,
            AddressGuard guard,
            WebhookSender sender,
            Payloads payloads,
            InstantSource clock,
            SecureRandom random) {
        this.database = requireNonNull(database, "database is null");
        this.events = requireNonNull(events, "events is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.guard = requireNonNull(guard, "guard is null");
        this.sender = requireNonNull(sender, "sender is null");
        this.payloads = requireNonNull(payloads, "payloads is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
    }

    public CreatedSubscription create(NewSubscription request) {
        String name = requireName(request.name());
        String description = requireDescription(request.description());
        URI url = requireUrl(request.url());
        Set<EventType> types = requireEventTypes(request.eventTypes(), request.flavor());
        request.secret().ifPresent(WebhookService::requireSecret);
        Optional<String> generated = request.secret().isEmpty() && request.flavor() == Flavor.AXLE
                ? Optional.of(Signer.generateSecret(random))
                : Optional.empty();
        String sealed = request.secret().or(() -> generated).map(secrets::seal).orElse("");
        String id = newId();
        long now = clock.millis();
        database.useTransaction(handle -> {
            WebhookDao dao = handle.attach(WebhookDao.class);
            // waits for a fan-out in progress, so that every event after after_seq reaches the new subscription
            dao.lockFanout();
            dao.insertSubscription(
                    id,
                    name,
                    description,
                    url.toString(),
                    joined(types),
                    sealed,
                    request.status().name(),
                    request.flavor().name(),
                    events.current(handle),
                    now,
                    now);
        });
        return new CreatedSubscription(get(id), generated);
    }

    public Subscription get(String id) {
        return subscription(database.withHandle(
                handle -> handle.attach(WebhookDao.class).findSubscription(id).orElseThrow(() -> notFound(id))));
    }

    /** Every subscription, whichever API made it. */
    public List<Subscription> list() {
        return database.withHandle(handle -> handle.attach(WebhookDao.class).allSubscriptions()).stream()
                .map(WebhookService::subscription)
                .toList();
    }

    /** A page of the subscriptions made through one API, oldest first, and the token of the next page if any. */
    public SubscriptionPage list(Flavor flavor, int maxResults, Optional<String> pageToken) {
        if (maxResults < 1 || maxResults > MAX_RESULTS) {
            throw AxleException.invalidParameter(
                    "'max_results' must be between 1 and " + MAX_RESULTS + ", not " + maxResults);
        }
        long offset = pageToken
                .filter(token -> !token.isEmpty())
                .map(WebhookService::offset)
                .orElse(0L);
        List<Subscription> page = database
                .withHandle(
                        handle -> handle.attach(WebhookDao.class).subscriptions(flavor.name(), maxResults + 1, offset))
                .stream()
                .map(WebhookService::subscription)
                .toList();
        return page.size() > maxResults
                ? new SubscriptionPage(page.subList(0, maxResults), Optional.of(Long.toString(offset + maxResults)))
                : new SubscriptionPage(page, Optional.empty());
    }

    /** One page of subscriptions. */
    public record SubscriptionPage(List<Subscription> subscriptions, Optional<String> nextPageToken) {
        public SubscriptionPage {
            subscriptions = List.copyOf(subscriptions);
            requireNonNull(nextPageToken, "nextPageToken is null");
        }
    }

    private static long offset(String token) {
        try {
            long offset = Long.parseLong(token);
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw AxleException.invalidParameter(
                "Invalid page_token '" + token + "': pass the next_page_token of a " + "previous answer.");
    }

    public Subscription update(String id, SubscriptionUpdate update) {
        update.secret().ifPresent(WebhookService::requireSecret);
        database.useTransaction(handle -> {
            WebhookDao dao = handle.attach(WebhookDao.class);
            SubscriptionRow row = dao.findSubscription(id).orElseThrow(() -> notFound(id));
            Flavor flavor = Flavor.valueOf(row.flavor());
            dao.updateSubscription(
                    id,
                    update.name().map(WebhookService::requireName).orElse(row.name()),
                    update.description().map(WebhookService::requireDescription).orElse(row.description()),
                    update.url().map(this::requireUrl).map(URI::toString).orElse(row.url()),
                    update.eventTypes()
                            .map(types -> joined(requireEventTypes(types, flavor)))
                            .orElse(row.eventTypes()),
                    update.secret().map(secrets::seal).orElse(row.secret()),
                    update.status().map(WebhookStatus::name).orElse(row.status()),
                    clock.millis());
        });
        return get(id);
    }

    public void delete(String id) {
        int deleted =
                database.inTransaction(handle -> handle.attach(WebhookDao.class).deleteSubscription(id));
        if (deleted == 0) {
            throw notFound(id);
        }
    }

    /** The latest deliveries to a subscription, newest first, each with its attempts. */
    public List<Delivery> deliveries(String subscriptionId, int maxResults) {
        if (maxResults < 1 || maxResults > MAX_RESULTS) {
            throw AxleException.invalidParameter(
                    "'max_results' must be between 1 and " + MAX_RESULTS + ", not " + maxResults);
        }
        return database.inSnapshot(handle -> {
            WebhookDao dao = handle.attach(WebhookDao.class);
            dao.findSubscription(subscriptionId).orElseThrow(() -> notFound(subscriptionId));
            return dao.deliveries(subscriptionId, maxResults).stream()
                    .map(row -> delivery(row, dao.attempts(row.deliveryId())))
                    .toList();
        });
    }

    public Delivery delivery(long deliveryId) {
        return database.inSnapshot(handle -> {
            WebhookDao dao = handle.attach(WebhookDao.class);
            DeliveryRow row = dao.findDelivery(deliveryId).orElseThrow(() -> deliveryNotFound(deliveryId));
            return delivery(row, dao.attempts(deliveryId));
        });
    }

    /** Sends a delivery again (with the same webhook-id) as soon as a dispatcher gets to it. */
    public Delivery redeliver(long deliveryId) {
        database.useTransaction(handle -> {
            WebhookDao dao = handle.attach(WebhookDao.class);
            DeliveryRow row = dao.findDelivery(deliveryId).orElseThrow(() -> deliveryNotFound(deliveryId));
            SubscriptionRow subscription =
                    dao.findSubscription(row.subscriptionId()).orElseThrow(() -> deliveryNotFound(deliveryId));
            if (!subscription.status().equals(WebhookStatus.ACTIVE.name())) {
                throw new AxleException(
                        io.axle.common.ErrorCode.INVALID_STATE,
                        "Webhook '" + subscription.subscriptionId() + "' is disabled; activate it (status ACTIVE) "
                                + "before redelivering to it.");
            }
            if (dao.redeliver(deliveryId, clock.millis()) == 0) {
                throw new AxleException(
                        io.axle.common.ErrorCode.INVALID_STATE,
                        "Delivery " + deliveryId + " is being sent right now; look at it again in a moment.");
            }
        });
        return delivery(deliveryId);
    }

    /** Sends a test payload to the subscription now, outside the delivery log, and says what came back. */
    public TestResult test(String id) {
        SubscriptionRow row = database.withHandle(
                handle -> handle.attach(WebhookDao.class).findSubscription(id).orElseThrow(() -> notFound(id)));
        Flavor flavor = Flavor.valueOf(row.flavor());
        AttemptResult result =
                sender.send(endpoint(row), "msg_test_" + newId(), payloads.test(flavor, clock.instant()));
        return new TestResult(result.succeeded(), result.httpStatus(), result.responseSnippet(), result.error());
    }

    Endpoint endpoint(SubscriptionRow row) {
        Optional<String> secret = row.secret().isEmpty() ? Optional.empty() : Optional.of(secrets.open(row.secret()));
        return new Endpoint(URI.create(row.url()), Flavor.valueOf(row.flavor()), secret);
    }

    String newId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static Set<EventType> eventTypes(String joined) {
        return Arrays.stream(joined.split(","))
                .filter(name -> !name.isEmpty())
                .map(EventType::valueOf)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String joined(Set<EventType> types) {
        return new TreeSet<>(types).stream().map(EventType::name).collect(Collectors.joining(","));
    }

    private static Subscription subscription(SubscriptionRow row) {
        return new Subscription(
                row.subscriptionId(),
                row.name(),
                row.description(),
                row.url(),
                List.copyOf(eventTypes(row.eventTypes())),
                WebhookStatus.valueOf(row.status()),
                Flavor.valueOf(row.flavor()),
                !row.secret().isEmpty(),
                row.creationTime(),
                row.lastUpdatedTime());
    }

    private static Delivery delivery(DeliveryRow row, List<AttemptRow> attempts) {
        return new Delivery(
                row.deliveryId(),
                row.subscriptionId(),
                row.eventSeq(),
                EventType.valueOf(row.eventType()),
                row.webhookId(),
                DeliveryStatus.valueOf(row.status()),
                row.attempts(),
                row.nextAttemptTime(),
                Optional.ofNullable(row.httpStatus()),
                Optional.ofNullable(row.latencyMillis()),
                Optional.ofNullable(row.responseSnippet()),
                Optional.ofNullable(row.error()),
                row.creationTime(),
                row.lastUpdatedTime(),
                attempts.stream()
                        .map(attempt -> new Delivery.Attempt(
                                attempt.attempt(),
                                attempt.startedTime(),
                                Optional.ofNullable(attempt.httpStatus()),
                                attempt.latencyMillis(),
                                Optional.ofNullable(attempt.responseSnippet()),
                                Optional.ofNullable(attempt.error())))
                        .toList());
    }

    private static String requireName(String name) {
        if (name.isBlank()) {
            throw AxleException.invalidParameter("A webhook needs a name: set 'name'.");
        }
        if (name.length() > MAX_NAME) {
            throw AxleException.invalidParameter(
                    "Webhook name is " + name.length() + " characters long; the limit is " + MAX_NAME + ".");
        }
        return name;
    }

    private static String requireDescription(String description) {
        if (description.length() > MAX_DESCRIPTION) {
            throw AxleException.invalidParameter("Webhook description is " + description.length()
                    + " characters long; the limit is " + MAX_DESCRIPTION + ".");
        }
        return description;
    }

    private URI requireUrl(String text) {
        if (text.isBlank()) {
            throw AxleException.invalidParameter("A webhook needs a URL: set 'url' to an http:// or https:// URL.");
        }
        if (text.length() > MAX_URL) {
            throw AxleException.invalidParameter(
                    "Webhook URL is " + text.length() + " characters long; the limit is " + MAX_URL + ".");
        }
        URI url;
        try {
            url = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw AxleException.invalidParameter("Webhook URL '" + text + "' is not a URL: " + e.getReason());
        }
        if (url.getRawUserInfo() != null) {
            throw AxleException.invalidParameter(
                    "Webhook URL must not carry credentials; the signature authenticates the sender.");
        }
        guard.check(url);
        return url;
    }

    private static Set<EventType> requireEventTypes(Set<EventType> types, Flavor flavor) {
        if (types.isEmpty()) {
            throw AxleException.invalidParameter("A webhook needs at least one event type in 'events'.");
        }
        if (flavor == Flavor.MLFLOW) {
            types.stream()
                    .filter(type -> MlflowEvent.of(type).isEmpty())
                    .findFirst()
                    .ifPresent(type -> {
                        throw AxleException.invalidParameter("Event " + type
                                + " has no MLflow counterpart; subscribe through /api/2.0/axle/webhooks for it.");
                    });
        }
        return types;
    }

    private static void requireSecret(String secret) {
        if (secret.isEmpty() || secret.length() > MAX_SECRET) {
            throw AxleException.invalidParameter("A webhook secret must be 1 to " + MAX_SECRET
                    + " characters long (it is " + secret.length() + "); leave it out for Axle to generate one.");
        }
        if (Signer.standardKey(secret).length == 0) {
            throw AxleException.invalidParameter("A webhook secret 'whsec_' needs a key after the prefix.");
        }
    }

    private static AxleException notFound(String id) {
        return AxleException.notFound("Webhook with ID '" + id + "' not found.");
    }

    private static AxleException deliveryNotFound(long id) {
        return AxleException.notFound("Webhook delivery " + id + " not found.");
    }
}
