package io.axle.server.deploy;

import static java.util.Objects.requireNonNull;

import io.axle.server.db.Database;
import io.axle.server.deploy.DeploymentDao.CursorRow;
import io.axle.server.deploy.DeploymentDao.DeploymentRow;
import io.axle.server.deploy.render.DeploymentSpec.Follows;
import io.axle.server.events.EventLog;
import io.axle.server.events.PollingLoop;
import io.axle.server.events.RegistryEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * The registry outbox's deployer, on a background virtual thread. It reads events in order from one cursor; a
 * replica takes a lease on the cursor (claimed under a row lock, skipping a row another replica holds, on
 * PostgreSQL), so across replicas each event is handled once. An alias or stage event for a followed model releases
 * every deployment that follows it; a created or updated deployment releases what it follows now. Each event's
 * outcomes and the cursor's advance commit together; a replica that lost its lease commits nothing, and the replica
 * that took over handles the event again (publishing is idempotent: the same files make no second commit).
 */
public final class Deployer implements AutoCloseable {
    private static final int BATCH = 100;

    private final Database database;
    private final EventLog events;
    private final DeploymentService service;
    private final DeployConfig config;
    private final LongSupplier clock;
    private final String owner = UUID.randomUUID().toString().replace("-", "");
    private final PollingLoop loop;

    Deployer(Database database, EventLog events, DeploymentService service, DeployConfig config, LongSupplier clock) {
        this.database = requireNonNull(database, "database is null");
        this.events = requireNonNull(events, "events is null");
        this.service = requireNonNull(service, "service is null");
        this.config = requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.loop = new PollingLoop("axle-deployer", config.pollInterval(), config.lease(), this::runOnce);
    }

    /** Starts the background loop. */
    public void start() {
        loop.start();
    }

    /** Makes the loop look for work now instead of at its next poll. */
    public void poke() {
        loop.poke();
    }

    /** One round: claim the cursor, handle the events after it. Returns how many events were handled. */
    int runOnce() {
        long seen = database.withHandle(
                handle -> handle.attach(DeploymentDao.class).cursor().lastSeq());
        if (events.after(seen, 1).isEmpty() || !claim()) {
            return 0;
        }
        try {
            long from = database.withHandle(
                    handle -> handle.attach(DeploymentDao.class).cursor().lastSeq());
            int handled = 0;
            for (RegistryEvent event : events.after(from, BATCH)) {
                List<Release.Outcome> outcomes = handle(event);
                boolean kept = database.inTransaction(handle -> {
                    DeploymentDao dao = handle.attach(DeploymentDao.class);
                    if (dao.advance(owner, event.seq(), leaseUntil()) == 0) {
                        return false; // the lease ran out and another replica took over this event
                    }
                    // the outcome's own events go after this one and are read (and passed over) next round
                    outcomes.forEach(outcome -> service.record(handle, outcome));
                    return true;
                });
                if (!kept) {
                    return handled;
                }
                handled++;
            }
            return handled;
        } finally {
            database.useTransaction(handle -> handle.attach(DeploymentDao.class).release(owner));
        }
    }

    private boolean claim() {
        return database.inTransaction(handle -> {
            DeploymentDao dao = handle.attach(DeploymentDao.class);
            Optional<CursorRow> locked = switch (database.dialect()) {
                case POSTGRESQL -> dao.lockCursorUnlessLocked();
                case H2 -> Optional.of(dao.lockCursor());
            };
            if (locked.isEmpty()) {
                return false; // another replica is claiming it right now
            }
            CursorRow cursor = locked.get();
            boolean heldByAnother = cursor.leaseOwner() != null
                    && !cursor.leaseOwner().equals(owner)
                    && cursor.leaseUntil() != null
                    && cursor.leaseUntil() >= clock.getAsLong();
            if (heldByAnother) {
                return false;
            }
            dao.lease(owner, leaseUntil());
            return true;
        });
    }

    private long leaseUntil() {
        return clock.getAsLong() + config.lease().toMillis();
    }

    /** The releases one event causes, run now; their outcomes are recorded with the cursor's advance. */
    private List<Release.Outcome> handle(RegistryEvent event) {
        List<Release.Outcome> outcomes = new ArrayList<>();
        switch (event.type()) {
            case ALIAS_SET, ALIAS_MOVED -> {
                String alias = event.alias().orElseThrow();
                long version = Long.parseLong(event.version().orElseThrow());
                for (DeploymentRow row : following(event.modelName())) {
                    if (service.follows(row).equals(new Follows.Alias(alias)) && !alreadyThere(row, version)) {
                        outcomes.add(service.releaseNow(row, version, cause(event)));
                    }
                }
            }
            case STAGE_TRANSITIONED -> {
                for (DeploymentRow row : following(event.modelName())) {
                    if (service.follows(row) instanceof Follows.Stage stage && touches(event, stage.stage())) {
                        service.followedVersion(row)
                                .filter(version -> !alreadyThere(row, version))
                                .ifPresent(version -> outcomes.add(service.releaseNow(row, version, cause(event))));
                    }
                }
            }
            case DEPLOYMENT_CREATED, DEPLOYMENT_UPDATED -> {
                String name = event.payload().path("deployment").asText();
                database.withHandle(handle -> handle.attach(DeploymentDao.class).find(name))
                        .ifPresent(row -> service.followedVersion(row)
                                .ifPresent(version -> outcomes.add(service.releaseNow(row, version, cause(event)))));
            }
            case MODEL_CREATED,
                    MODEL_RENAMED,
                    MODEL_UPDATED,
                    MODEL_DELETED,
                    MODEL_IMPORTED,
                    MODEL_TAG_SET,
                    MODEL_TAG_DELETED,
                    VERSION_CREATED,
                    VERSION_READY,
                    VERSION_FAILED,
                    VERSION_UPDATED,
                    VERSION_DELETED,
                    VERSION_TAG_SET,
                    VERSION_TAG_DELETED,
                    ALIAS_DELETED,
                    DEPLOYMENT_DELETED,
                    DEPLOYMENT_DEPLOYED,
                    DEPLOYMENT_BLOCKED,
                    DEPLOYMENT_FAILED -> {}
        }
        return outcomes;
    }

    private List<DeploymentRow> following(String model) {
        return database.withHandle(handle -> handle.attach(DeploymentDao.class).ofModel(model));
    }

    // a promotion to the version already committed commits nothing; one that was blocked or failed is tried again
    private static boolean alreadyThere(DeploymentRow row, long version) {
        return row.status().equals(DeploymentStatus.READY.name())
                && row.currentVersion() != null
                && row.currentVersion() == version;
    }

    private static boolean touches(RegistryEvent event, String stage) {
        return event.stage().filter(stage::equals).isPresent()
                || event.payload().path("from_stage").asText().equals(stage);
    }

    private static Release.Cause cause(RegistryEvent event) {
        String description = event.type().name()
                + event.alias().map(alias -> " @" + alias).orElse("")
                + event.stage().map(stage -> " stage " + stage).orElse("")
                + event.version().map(version -> " version " + version).orElse("");
        return new Release.Cause(event.seq(), description, event.actor());
    }

    @Override
    public void close() {
        loop.close();
    }
}
