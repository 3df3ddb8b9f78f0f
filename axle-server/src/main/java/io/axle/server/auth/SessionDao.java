package io.axle.server.auth;

import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(SessionDao.SessionRow.class)
interface SessionDao {
    record SessionRow(String username, boolean isAdmin, long expiresTime) {}

    @SqlUpdate("""
            INSERT INTO ui_sessions (session_hash, user_id, creation_time, expires_time)
            SELECT :sessionHash, user_id, :now, :expiresTime FROM users WHERE username = :username
            """)
    int insert(String sessionHash, String username, long now, long expiresTime);

    @SqlQuery("""
            SELECT u.username, u.is_admin, s.expires_time
            FROM ui_sessions s JOIN users u ON u.user_id = s.user_id WHERE s.session_hash = :sessionHash
            """)
    Optional<SessionRow> find(String sessionHash);

    @SqlUpdate("DELETE FROM ui_sessions WHERE session_hash = :sessionHash")
    int delete(String sessionHash);

    @SqlUpdate("DELETE FROM ui_sessions WHERE expires_time <= :now")
    int deleteExpired(long now);
}
