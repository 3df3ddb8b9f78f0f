package io.axle.server.events;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(EventDao.EventRow.class)
interface EventDao {
    record EventRow(
            long seq,
            String eventType,
            String modelName,
            Long version,
            String alias,
            String stage,
            String actor,
            long createdTime,
            String payload) {}

    // the row lock taken here orders concurrent writers, so numbers follow commit order without gaps
    @SqlUpdate("UPDATE registry_event_sequence SET last_seq = last_seq + 1 WHERE id = 1")
    void advance();

    @SqlQuery("SELECT last_seq FROM registry_event_sequence WHERE id = 1")
    long current();

    @SqlUpdate("""
            INSERT INTO registry_events (seq, event_type, model_name, version, alias, stage, actor, created_time, payload)
            VALUES (:seq, :eventType, :modelName, :version, :alias, :stage, :actor, :createdTime, :payload)
            """)
    void insert(
            long seq,
            String eventType,
            String modelName,
            Long version,
            String alias,
            String stage,
            String actor,
            long createdTime,
            String payload);

    @SqlQuery("""
            SELECT seq, event_type, model_name, version, alias, stage, actor, created_time, payload
            FROM registry_events WHERE seq > :after ORDER BY seq LIMIT :limit
            """)
    List<EventRow> after(long after, int limit);
}
