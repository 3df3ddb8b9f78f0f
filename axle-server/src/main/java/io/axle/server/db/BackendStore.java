package io.axle.server.db;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the metadata lives: a JDBC URL with its credentials, parsed from the {@code --backend-store-uri} forms
 * that MLflow users know ({@code postgresql://user:pass@host:port/db}) and plain JDBC URLs.
 */
public record BackendStore(Dialect dialect, String jdbcUrl, Optional<String> user, Optional<String> password) {
    // H2 speaks PostgreSQL's dialect so that one migration set and one set of statements serve both.
    // Commits are made durable by Database (a CHECKPOINT before each acknowledgement), not by WRITE_DELAY=0,
    // which in H2 2.5 also stops the reuse of free space: the file would grow by ~600 bytes a metric point.
    private static final String H2_SETTINGS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    public BackendStore {
        requireNonNull(dialect, "dialect is null");
        requireNonNull(jdbcUrl, "jdbcUrl is null");
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
    }

    /** The embedded default: an H2 file database in {@code dataDirectory}. */
    public static BackendStore embedded(Path dataDirectory) {
        String file = dataDirectory.toAbsolutePath().normalize().resolve("axle").toString();
        return new BackendStore(Dialect.H2, "jdbc:h2:file:" + file + H2_SETTINGS, Optional.empty(), Optional.empty());
    }

    public static BackendStore parse(String uri) {
        String trimmed = uri.strip();
        if (trimmed.startsWith("jdbc:h2:")) {
            return new BackendStore(Dialect.H2, withH2Settings(trimmed), Optional.empty(), Optional.empty());
        }
        if (trimmed.startsWith("jdbc:postgresql:")) {
            return new BackendStore(
                    Dialect.POSTGRESQL, withPostgresSettings(trimmed), Optional.empty(), Optional.empty());
        }
        if (trimmed.startsWith("postgresql://")
                || trimmed.startsWith("postgresql+")
                || trimmed.startsWith("postgres://")) {
            return fromPostgresUri(trimmed);
        }
        throw new AxleException(
                ErrorCode.INVALID_PARAMETER_VALUE,
                "Unsupported backend store URI '" + redact(trimmed)
                        + "'. Use postgresql://user:password@host:port/database, "
                        + "jdbc:postgresql://..., or jdbc:h2:file:/path/to/db");
    }

    /** The URL without credentials, fit for logs and the console. */
    public String describe() {
        return redact(jdbcUrl);
    }

    private static BackendStore fromPostgresUri(String uri) {
        URI parsed;
        try {
            parsed = new URI(uri.replaceFirst("^postgres(ql)?(\\+[A-Za-z0-9_]+)?://", "postgresql://"));
        } catch (URISyntaxException e) {
            throw new AxleException(
                    ErrorCode.INVALID_PARAMETER_VALUE,
                    "Malformed backend store URI '" + redact(uri) + "': " + e.getReason());
        }
        if (parsed.getHost() == null
                || parsed.getPath() == null
                || parsed.getPath().length() <= 1) {
            throw new AxleException(
                    ErrorCode.INVALID_PARAMETER_VALUE,
                    "Backend store URI '" + redact(uri)
                            + "' needs a host and a database: postgresql://user:password@host:port/database");
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(parsed.getHost());
        if (parsed.getPort() > 0) {
            jdbc.append(':').append(parsed.getPort());
        }
        jdbc.append(parsed.getRawPath());
        if (parsed.getRawQuery() != null) {
            jdbc.append('?').append(parsed.getRawQuery());
        }
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        String userInfo = parsed.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = Optional.of(decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
            if (colon >= 0) {
                password = Optional.of(decode(userInfo.substring(colon + 1)));
            }
        }
        return new BackendStore(Dialect.POSTGRESQL, withPostgresSettings(jdbc.toString()), user, password);
    }

    private static String withH2Settings(String url) {
        String upper = url.toUpperCase(java.util.Locale.ROOT);
        StringBuilder result = new StringBuilder(url);
        for (String setting : H2_SETTINGS.substring(1).split(";")) {
            String name = setting.substring(0, setting.indexOf('=') + 1);
            if (!upper.contains(";" + name)) {
                result.append(';').append(setting);
            }
        }
        return result.toString();
    }

    // One multi-row INSERT per batch instead of a round trip per row.
    private static String withPostgresSettings(String url) {
        if (url.contains("reWriteBatchedInserts")) {
            return url;
        }
        return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    static String redact(String uri) {
        return uri.replaceAll("(://[^:/@]*):[^@/]*@", "$1:***@").replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
