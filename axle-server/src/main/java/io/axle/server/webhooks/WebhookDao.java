package io.axle.server.webhooks;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(WebhookDao.SubscriptionRow.class)
@RegisterConstructorMapper(WebhookDao.DeliveryRow.class)
@RegisterConstructorMapper(WebhookDao.AttemptRow.class)
interface WebhookDao {
    /** {@code secret}: the sealed secret, empty when there is none. */
    record SubscriptionRow(
            String subscriptionId,
            String name,
            String description,
            String url,
            String eventTypes,
            String secret,
            String status,
            String flavor,
            long afterSeq,
            long creationTime,
            long lastUpdatedTime) {}

    record DeliveryRow(
            long deliveryId,
            String subscriptionId,
            long eventSeq,
            String eventType,
            String webhookId,
            String body,
            String status,
            int attempts,
            long nextAttemptTime,
            String claimToken,
            Long leaseUntil,
            Integer httpStatus,
            Long latencyMillis,
            String responseSnippet,
            String error,
            long creationTime,
            long lastUpdatedTime) {}

    record AttemptRow(
            long deliveryId,
            int attempt,
            long startedTime,
            Integer httpStatus,
            long latencyMillis,
            String responseSnippet,
            String error) {}

    String SUBSCRIPTION_COLUMNS = "subscription_id, name, description, url, event_types, secret, status, flavor, "
            + "after_seq, creation_time, last_updated_time";
    String DELIVERY_COLUMNS =
            "delivery_id, subscription_id, event_seq, event_type, webhook_id, body, status, attempts, "
                    + "next_attempt_time, claim_token, lease_until, http_status, latency_millis, response_snippet, error, "
                    + "creation_time, last_updated_time";
    String DUE = """
            SELECT delivery_id FROM webhook_deliveries
            WHERE (status = 'PENDING' AND next_attempt_time <= :now) OR (status = 'SENDING' AND lease_until < :now)
            ORDER BY next_attempt_time, delivery_id LIMIT :limit
            """;

    // ---- subscriptions

    @SqlUpdate("INSERT INTO webhook_subscriptions (" + SUBSCRIPTION_COLUMNS + """
            ) VALUES (:subscriptionId, :name, :description, :url, :eventTypes, :secret, :status, :flavor,
                      :afterSeq, :creationTime, :lastUpdatedTime)
            """)
    void insertSubscription(
            String subscriptionId,
            String name,
            String description,
            String url,
            String eventTypes,
            String secret,
            String status,
            String flavor,
            long afterSeq,
            long creationTime,
            long lastUpdatedTime);

    @SqlQuery("SELECT " + SUBSCRIPTION_COLUMNS + " FROM webhook_subscriptions WHERE subscription_id = :id")
    Optional<SubscriptionRow> findSubscription(String id);

    @SqlQuery("SELECT " + SUBSCRIPTION_COLUMNS + " FROM webhook_subscriptions WHERE flavor = :flavor "
            + "ORDER BY creation_time, subscription_id LIMIT :limit OFFSET :offset")
    List<SubscriptionRow> subscriptions(String flavor, int limit, long offset);

    @SqlQuery("SELECT " + SUBSCRIPTION_COLUMNS + " FROM webhook_subscriptions ORDER BY creation_time, subscription_id")
    List<SubscriptionRow> allSubscriptions();

    @SqlQuery("SELECT " + SUBSCRIPTION_COLUMNS + " FROM webhook_subscriptions WHERE status = 'ACTIVE'")
    List<SubscriptionRow> activeSubscriptions();

    @SqlUpdate("""
            UPDATE webhook_subscriptions SET name = :name, description = :description, url = :url,
                event_types = :eventTypes, secret = :secret, status = :status, last_updated_time = :now
            WHERE subscription_id = :id
            """)
    int updateSubscription(
            String id,
            String name,
            String description,
            String url,
            String eventTypes,
            String secret,
            String status,
            long now);

    @SqlUpdate(
            "UPDATE webhook_subscriptions SET status = :status, last_updated_time = :now WHERE subscription_id = :id")
    int setSubscriptionStatus(String id, String status, long now);

    @SqlUpdate("DELETE FROM webhook_subscriptions WHERE subscription_id = :id")
    int deleteSubscription(String id);

    // ---- fan-out of registry events into deliveries

    @SqlQuery("SELECT last_seq FROM webhook_fanout WHERE id = 1")
    long fanoutCursor();

    // blocks until a fan-out running elsewhere commits: a subscription made now sees every event after its after_seq
    @SqlQuery("SELECT last_seq FROM webhook_fanout WHERE id = 1 FOR UPDATE")
    long lockFanout();

    @SqlQuery("SELECT last_seq FROM webhook_fanout WHERE id = 1 FOR UPDATE SKIP LOCKED")
    Optional<Long> lockFanoutUnlessLocked();

    @SqlUpdate("UPDATE webhook_fanout SET last_seq = :seq WHERE id = 1")
    void advanceFanout(long seq);

    @SqlUpdate("""
            INSERT INTO webhook_deliveries (subscription_id, event_seq, event_type, webhook_id, body, status, attempts,
                next_attempt_time, creation_time, last_updated_time)
            VALUES (:subscriptionId, :eventSeq, :eventType, :webhookId, :body, 'PENDING', 0, :now, :now, :now)
            """)
    void insertDelivery(
            String subscriptionId, long eventSeq, String eventType, String webhookId, String body, long now);

    // ---- claiming and recording attempts

    // without a lock: whether a claim is worth a write transaction (on H2 each one ends in a checkpoint)
    @SqlQuery(DUE)
    List<Long> peekDue(long now, int limit);

    @SqlQuery(DUE + " FOR UPDATE")
    List<Long> due(long now, int limit);

    @SqlQuery(DUE + " FOR UPDATE SKIP LOCKED")
    List<Long> dueUnlessLocked(long now, int limit);

    @SqlUpdate("""
            UPDATE webhook_deliveries SET status = 'SENDING', claim_token = :token, lease_until = :leaseUntil,
                last_updated_time = :now
            WHERE delivery_id = :id
            """)
    int claim(long id, String token, long leaseUntil, long now);

    @SqlUpdate("""
            UPDATE webhook_deliveries SET status = :status, attempts = :attempts, next_attempt_time = :nextAttemptTime,
                http_status = :httpStatus, latency_millis = :latencyMillis, response_snippet = :responseSnippet,
                error = :error, claim_token = NULL, lease_until = NULL, last_updated_time = :now
            WHERE delivery_id = :id AND status = 'SENDING' AND claim_token = :token
            """)
    int recordOutcome(
            long id,
            String token,
            String status,
            int attempts,
            long nextAttemptTime,
            Integer httpStatus,
            Long latencyMillis,
            String responseSnippet,
            String error,
            long now);

    @SqlQuery("SELECT COALESCE(MAX(attempt), 0) FROM webhook_attempts WHERE delivery_id = :id")
    int lastAttempt(long id);

    @SqlUpdate("""
            INSERT INTO webhook_attempts (delivery_id, attempt, started_time, http_status, latency_millis,
                response_snippet, error)
            VALUES (:deliveryId, :attempt, :startedTime, :httpStatus, :latencyMillis, :responseSnippet, :error)
            """)
    void insertAttempt(
            long deliveryId,
            int attempt,
            long startedTime,
            Integer httpStatus,
            long latencyMillis,
            String responseSnippet,
            String error);

    // ---- reading and redelivering

    @SqlQuery("SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries WHERE delivery_id = :id")
    Optional<DeliveryRow> findDelivery(long id);

    @SqlQuery("SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries WHERE subscription_id = :subscriptionId "
            + "ORDER BY delivery_id DESC LIMIT :limit")
    List<DeliveryRow> deliveries(String subscriptionId, int limit);

    @SqlQuery("SELECT delivery_id, attempt, started_time, http_status, latency_millis, response_snippet, error "
            + "FROM webhook_attempts WHERE delivery_id = :id ORDER BY attempt")
    List<AttemptRow> attempts(long id);

    // a redelivery starts a fresh round of attempts; the attempt log keeps counting
    @SqlUpdate("""
            UPDATE webhook_deliveries SET status = 'PENDING', attempts = 0, next_attempt_time = :now,
                claim_token = NULL, lease_until = NULL, last_updated_time = :now
            WHERE delivery_id = :id AND status <> 'SENDING'
            """)
    int redeliver(long id, long now);
}
