package io.axle.server.auth;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(AuditDao.AuditRow.class)
interface AuditDao {
    record AuditRow(
            long id,
            long eventTime,
            String actor,
            String method,
            String route,
            String path,
            String target,
            int status) {}

    @SqlUpdate("""
            INSERT INTO audit_log (event_time, actor, method, route, path, target, status)
            VALUES (:eventTime, :actor, :method, :route, :path, :target, :status)
            """)
    void insert(long eventTime, String actor, String method, String route, String path, String target, int status);

    // newest first; :actor NULL matches every actor
    @SqlQuery("""
            SELECT id, event_time, actor, method, route, path, target, status FROM audit_log
            WHERE event_time >= :since AND (CAST(:actor AS VARCHAR(256)) IS NULL OR actor = :actor)
            ORDER BY event_time DESC, id DESC
            LIMIT :maxResults
            """)
    List<AuditRow> list(long since, String actor, int maxResults);
}
