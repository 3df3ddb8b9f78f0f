package io.axle.server.testing;

import io.axle.server.AxleServer;
import io.axle.server.ServerConfig;
import io.axle.server.auth.AuthConfig;
import io.axle.server.db.BackendStore;
import io.axle.server.db.Dialect;
import io.axle.server.deploy.DeployConfig;
import io.axle.server.http.HttpLimits;
import io.axle.server.webhooks.WebhookConfig;
import java.nio.file.Path;
import java.util.Optional;

/** A real {@code axle server} on a free port over a fresh database, for one test class or method. */
public final class TestServer implements AutoCloseable {
    private final BackendStore store;
    private final AxleServer server;
    private final Optional<Path> dataDirectory;

    private TestServer(BackendStore store, AxleServer server, Optional<Path> dataDirectory) {
        this.store = store;
        this.server = server;
        this.dataDirectory = dataDirectory;
    }

    public static TestServer start(Dialect dialect, Path dataDirectory) {
        return start(ServerConfig.embedded(dataDirectory), dialect);
    }

    public static TestServer start(ServerConfig config, Dialect dialect) {
        return start(config, dialect, AuthConfig.disabled());
    }

    /** With authentication as {@code auth} says, webhooks and deploys at their defaults. */
    public static TestServer start(Dialect dialect, Path dataDirectory, AuthConfig auth) {
        return start(ServerConfig.embedded(dataDirectory), dialect, auth);
    }

    // tests send writes faster than any client would, so the write rate limit is off unless a test sets one
    public static TestServer start(ServerConfig config, Dialect dialect, AuthConfig auth) {
        return start(config, dialect, auth, HttpLimits.defaults().withoutWriteLimit());
    }

    /** With request size and write rate limits as {@code limits} says. */
    public static TestServer start(ServerConfig config, Dialect dialect, AuthConfig auth, HttpLimits limits) {
        BackendStore store = TestDatabases.create(dialect);
        try {
            ServerConfig effective = config.withBackendStore(store).withPort(0);
            Path dataDirectory = config.artifactsDestination()
                    .localDirectory()
                    .map(Path::getParent)
                    .orElse(Path.of("axle-home"));
            AxleServer server = AxleServer.start(
                    effective, WebhookConfig.defaults(dataDirectory), DeployConfig.defaults(), auth, limits);
            return new TestServer(
                    store,
                    server,
                    config.artifactsDestination().localDirectory().map(Path::getParent));
        } catch (RuntimeException e) {
            TestDatabases.drop(store);
            throw e;
        }
    }

    public String url() {
        return server.url();
    }

    public int port() {
        return server.port();
    }

    /** The directory above a local artifacts destination. */
    public Path dataDirectory() {
        return dataDirectory.orElseThrow();
    }

    /** Every registered route and how the access policy classifies it. */
    public java.util.List<io.axle.server.auth.RouteAccess> routeAccess() {
        return server.routeAccess();
    }

    /** The database the server keeps its state in, to look at what it stored. */
    public BackendStore backendStore() {
        return store;
    }

    public ApiClient client() {
        return new ApiClient(url());
    }

    @Override
    public void close() {
        server.close();
        TestDatabases.drop(store);
    }
}
