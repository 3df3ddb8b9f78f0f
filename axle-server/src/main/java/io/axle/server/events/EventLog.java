package io.axle.server.events;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.common.AxleException;
import io.axle.server.db.Database;
import io.axle.server.events.EventDao.EventRow;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The registry's transactional outbox: a change appends its event on the change's own {@link Handle}, so the event
 * commits with the change or not at all, and readers page through events by sequence number.
 */
public final class EventLog {
    public static final int DEFAULT_MAX_RESULTS = 100;
    public static final int MAX_RESULTS = 10_000;

    private final Database database;
    private final ObjectMapper mapper;
    private final InstantSource clock;

    public EventLog(Database database, ObjectMapper mapper, InstantSource clock) {
        this.database = requireNonNull(database, "database is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Records {@code event} inside the caller's transaction; returns its sequence number. */
    public long append(Handle handle, NewEvent event) {
        EventDao events = handle.attach(EventDao.class);
        events.advance();
        long seq = events.current();
        events.insert(
                seq,
                event.type().name(),
                event.modelName(),
                event.version().orElse(null),
                event.alias().orElse(null),
                event.stage().orElse(null),
                event.actor(),
                clock.millis(),
                payloadText(event));
        return seq;
    }

    /** Up to {@code maxResults} events after sequence number {@code after}, in order. */
    public List<RegistryEvent> after(long after, int maxResults) {
        if (after < 0) {
            throw AxleException.invalidParameter("'after' must be 0 or a sequence number, not " + after);
        }
        if (maxResults < 1 || maxResults > MAX_RESULTS) {
            throw AxleException.invalidParameter(
                    "'max_results' must be between 1 and " + MAX_RESULTS + ", not " + maxResults);
        }
        return database.withHandle(handle -> handle.attach(EventDao.class).after(after, maxResults)).stream()
                .map(this::event)
                .toList();
    }

    /** The sequence number of the latest event (0 before the first). */
    public long latest() {
        return database.withHandle(this::current);
    }

    /** The sequence number of the latest event as the caller's transaction sees it. */
    public long current(Handle handle) {
        return handle.attach(EventDao.class).current();
    }

    private RegistryEvent event(EventRow row) {
        try {
            return new RegistryEvent(
                    row.seq(),
                    EventType.valueOf(row.eventType()),
                    row.modelName(),
                    Optional.ofNullable(row.version()).map(String::valueOf),
                    Optional.ofNullable(row.alias()),
                    Optional.ofNullable(row.stage()),
                    row.actor(),
                    row.createdTime(),
                    mapper.readTree(row.payload()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Event " + row.seq() + " has a payload that is not JSON", e);
        }
    }

    private String payloadText(NewEvent event) {
        try {
            return mapper.writeValueAsString(event.payload());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Event payload cannot be written as JSON: " + e.getMessage(), e);
        }
    }
}
