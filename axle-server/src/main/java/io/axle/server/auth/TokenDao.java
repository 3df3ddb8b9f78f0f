package io.axle.server.auth;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(TokenDao.TokenRow.class)
interface TokenDao {
    record TokenRow(
            String tokenId,
            String username,
            boolean isAdmin,
            String name,
            long creationTime,
            Long expiresTime,
            Long revokedTime,
            Long lastUsedTime) {}

    String SELECT = """
            SELECT t.token_id, u.username, u.is_admin, t.name, t.creation_time, t.expires_time, t.revoked_time,
                t.last_used_time
            FROM api_tokens t JOIN users u ON u.user_id = t.user_id
            """;

    @SqlUpdate("""
            INSERT INTO api_tokens (token_id, user_id, name, secret_hash, creation_time, expires_time)
            SELECT :tokenId, user_id, :name, :secretHash, :now, :expiresTime FROM users WHERE username = :username
            """)
    int insert(String tokenId, String username, String name, String secretHash, long now, Long expiresTime);

    @SqlQuery(SELECT + " WHERE t.secret_hash = :secretHash")
    Optional<TokenRow> findBySecret(String secretHash);

    @SqlQuery(SELECT + " WHERE t.token_id = :tokenId")
    Optional<TokenRow> find(String tokenId);

    @SqlQuery(SELECT + " WHERE u.username = :username ORDER BY t.creation_time, t.token_id")
    List<TokenRow> listFor(String username);

    @SqlQuery(SELECT + " ORDER BY u.username, t.creation_time, t.token_id")
    List<TokenRow> listAll();

    @SqlUpdate("UPDATE api_tokens SET revoked_time = :now WHERE token_id = :tokenId AND revoked_time IS NULL")
    int revoke(String tokenId, long now);

    @SqlUpdate("""
            UPDATE api_tokens SET last_used_time = :now
            WHERE token_id = :tokenId AND (last_used_time IS NULL OR last_used_time <= :staleBefore)
            """)
    int touch(String tokenId, long now, long staleBefore);
}
