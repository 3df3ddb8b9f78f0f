package io.axle.server.auth;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(UserDao.UserRow.class)
interface UserDao {
    record UserRow(
            long userId,
            String username,
            String passwordHash,
            boolean isAdmin,
            long creationTime,
            long lastUpdatedTime) {
        User user() {
            return new User(userId, username, isAdmin, creationTime, lastUpdatedTime);
        }
    }

    String COLUMNS = "user_id, username, password_hash, is_admin, creation_time, last_updated_time";

    @SqlUpdate("""
            INSERT INTO users (username, password_hash, is_admin, creation_time, last_updated_time)
            VALUES (:username, :passwordHash, :admin, :now, :now)
            """)
    void insert(String username, String passwordHash, boolean admin, long now);

    @SqlQuery("SELECT " + COLUMNS + " FROM users WHERE username = :username")
    Optional<UserRow> find(String username);

    @SqlQuery("SELECT " + COLUMNS + " FROM users ORDER BY username")
    List<UserRow> list();

    @SqlQuery("SELECT COUNT(*) FROM users")
    long count();

    @SqlUpdate("UPDATE users SET password_hash = :passwordHash, last_updated_time = :now WHERE username = :username")
    int setPassword(String username, String passwordHash, long now);

    @SqlUpdate("UPDATE users SET is_admin = :admin, last_updated_time = :now WHERE username = :username")
    int setAdmin(String username, boolean admin, long now);

    @SqlUpdate("DELETE FROM users WHERE username = :username")
    int delete(String username);
}
