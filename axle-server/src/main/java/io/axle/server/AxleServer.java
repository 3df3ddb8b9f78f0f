package io.axle.server;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.server.artifacts.ArtifactRoutes;
import io.axle.server.artifacts.ArtifactService;
import io.axle.server.artifacts.RunArtifactRoots;
import io.axle.server.auth.AccessPolicy;
import io.axle.server.auth.AuditLog;
import io.axle.server.auth.AuditRoutes;
import io.axle.server.auth.Auth;
import io.axle.server.auth.AuthConfig;
import io.axle.server.auth.AuthRoutes;
import io.axle.server.auth.RouteAccess;
import io.axle.server.db.Database;
import io.axle.server.deploy.DeployConfig;
import io.axle.server.deploy.DeploymentRoutes;
import io.axle.server.deploy.Deployments;
import io.axle.server.events.EventLog;
import io.axle.server.events.EventRoutes;
import io.axle.server.http.ErrorResponses;
import io.axle.server.http.HttpLimits;
import io.axle.server.http.Json;
import io.axle.server.http.RequestLimits;
import io.axle.server.registry.AxleRegistryRoutes;
import io.axle.server.registry.LineageService;
import io.axle.server.registry.OrphanFinder;
import io.axle.server.registry.RegistryAdminRoutes;
import io.axle.server.registry.RegistryRoutes;
import io.axle.server.registry.RegistryService;
import io.axle.server.registry.RegistryTransfer;
import io.axle.server.system.SystemRoutes;
import io.axle.server.tracking.ExperimentRoutes;
import io.axle.server.tracking.ExperimentService;
import io.axle.server.tracking.MetricRoutes;
import io.axle.server.tracking.RunRoutes;
import io.axle.server.tracking.RunService;
import io.axle.server.ui.Ui;
import io.axle.server.ui.UiServices;
import io.axle.server.webhooks.MlflowWebhookRoutes;
import io.axle.server.webhooks.WebhookConfig;
import io.axle.server.webhooks.WebhookRoutes;
import io.axle.server.webhooks.Webhooks;
import io.axle.storage.BlobStore;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/** A running {@code axle server}: the database, the services over it, and the HTTP routes in front of them. */
public final class AxleServer implements AutoCloseable {
    /** How long model-versions/create waits for the copy into registry storage before answering PENDING. */
    private static final Duration REGISTRATION_WAIT = Duration.ofSeconds(30);

    private static final int OUTPUT_BUFFER_BYTES = 1024 * 1024;

    private final Database database;
    private final BlobStore artifactStore;
    private final RegistryService registry;
    private final Webhooks webhooks;
    private final Deployments deployments;
    private final Javalin http;
    private final AccessPolicy accessPolicy;
    private final String host;

    private AxleServer(
            Database database,
            BlobStore artifactStore,
            RegistryService registry,
            Webhooks webhooks,
            Deployments deployments,
            Javalin http,
            AccessPolicy accessPolicy,
            String host) {
        this.database = requireNonNull(database, "database is null");
        this.artifactStore = requireNonNull(artifactStore, "artifactStore is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.webhooks = requireNonNull(webhooks, "webhooks is null");
        this.deployments = requireNonNull(deployments, "deployments is null");
        this.http = requireNonNull(http, "http is null");
        this.accessPolicy = requireNonNull(accessPolicy, "accessPolicy is null");
        this.host = requireNonNull(host, "host is null");
    }

    /** Starts with the default webhook settings, keeping their key beside a local artifacts destination. */
    public static AxleServer start(ServerConfig config) {
        java.nio.file.Path dataDirectory = config.artifactsDestination()
                .localDirectory()
                .map(java.nio.file.Path::getParent)
                .orElse(java.nio.file.Path.of("axle-home"));
        return start(config, WebhookConfig.defaults(dataDirectory));
    }

    public static AxleServer start(ServerConfig config, WebhookConfig webhookConfig) {
        return start(config, webhookConfig, DeployConfig.defaults());
    }

    /** {@code deployConfig} carries the GitOps publisher the deployer commits with. */
    public static AxleServer start(ServerConfig config, WebhookConfig webhookConfig, DeployConfig deployConfig) {
        return start(config, webhookConfig, deployConfig, AuthConfig.disabled());
    }

    /**
     * {@code authConfig} says whether requests must sign in, and who the first admin is. A server embedded this way
     * (benchmarks, programs) has no write rate limit; {@code axle server} sets one from its flags.
     */
    public static AxleServer start(
            ServerConfig config, WebhookConfig webhookConfig, DeployConfig deployConfig, AuthConfig authConfig) {
        return start(
                config,
                webhookConfig,
                deployConfig,
                authConfig,
                HttpLimits.defaults().withoutWriteLimit());
    }

    /** {@code limits} caps API request bodies and the rate of writes per caller. */
    public static AxleServer start(
            ServerConfig config,
            WebhookConfig webhookConfig,
            DeployConfig deployConfig,
            AuthConfig authConfig,
            HttpLimits limits) {
        requirePortFree(config.host(), config.port());
        Database database = Database.open(config.backendStore(), config.databasePoolSize());
        RegistryService registry = null;
        Webhooks webhooks = null;
        Deployments deployments = null;
        BlobStore artifactStore;
        try {
            artifactStore = config.artifactsDestination().open();
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        try {
            Json json = new Json();
            ErrorResponses errors = new ErrorResponses(json);
            SystemRoutes system = new SystemRoutes();
            InstantSource clock = InstantSource.system();
            ExperimentService experiments =
                    new ExperimentService(database, config.effectiveDefaultArtifactRoot(), clock);
            experiments.ensureDefaultExperiment();
            RunService runs = new RunService(database, clock, new SecureRandom());
            Auth auth = Auth.create(database, authConfig, clock, new SecureRandom());
            auth.ensureAdmin();
            AuthRoutes authRoutes = new AuthRoutes(auth, json);
            ExperimentRoutes experimentRoutes = new ExperimentRoutes(experiments, json);
            RunRoutes runRoutes = new RunRoutes(runs, json);
            MetricRoutes metricRoutes = new MetricRoutes(runs, json);
            RunArtifactRoots runArtifactRoots = runs::artifactUri;
            BlobStore store = artifactStore;
            ArtifactService artifactService = new ArtifactService(
                    store, config.artifactsDestination(), config.serveArtifacts(), runArtifactRoots);
            ArtifactRoutes artifacts = new ArtifactRoutes(artifactService, json);
            EventLog events = new EventLog(database, json.mapper(), clock);
            registry = new RegistryService(database, events, store, artifactService, runs, clock, REGISTRATION_WAIT);
            registry.resumePendingRegistrations();
            RegistryRoutes registryRoutes = new RegistryRoutes(registry, json);
            LineageService lineage = new LineageService(registry, runs, experiments, json.mapper());
            AxleRegistryRoutes axleRegistryRoutes = new AxleRegistryRoutes(registry, lineage, json);
            EventRoutes eventRoutes = new EventRoutes(events, json);
            RegistryAdminRoutes registryAdminRoutes = new RegistryAdminRoutes(
                    new RegistryTransfer(database, events, store, artifactService, clock),
                    new OrphanFinder(store, artifactService, runs, registry),
                    json);
            webhooks = Webhooks.create(database, events, json.mapper(), webhookConfig, clock, System.getenv());
            WebhookRoutes webhookRoutes = new WebhookRoutes(webhooks.service(), json);
            MlflowWebhookRoutes mlflowWebhookRoutes = new MlflowWebhookRoutes(webhooks.service(), json);
            deployments = Deployments.create(database, events, registry, json.mapper(), deployConfig, clock);
            DeploymentRoutes deploymentRoutes = new DeploymentRoutes(deployments.service(), json);
            AccessPolicy accessPolicy =
                    new AccessPolicy(auth.permissions(), experiments, runs, deployments.service(), json);
            AuditLog audit = new AuditLog(database, clock);
            AuditRoutes auditRoutes = new AuditRoutes(audit, json, authConfig.enabled());
            Ui ui = new Ui(
                    new UiServices(
                            experiments,
                            runs,
                            artifactService,
                            registry,
                            lineage,
                            events,
                            deployments.service(),
                            webhooks.service(),
                            clock),
                    auth,
                    () -> authConfig.enabled() ? Optional.empty() : Optional.of(Ui.AUTH_OFF_BANNER));
            Javalin http = Javalin.create(server -> {
                server.startup.showJavalinBanner = false;
                server.startup.showOldJavalinVersionWarning = false;
                server.concurrency.useVirtualThreads = true;
                server.router.ignoreTrailingSlashes = true;
                server.http.prefer405over404 = true;
                server.http.maxRequestSize = limits.maxRequestBytes();
                server.jetty.modifyServer(jetty -> jetty.setErrorHandler(errors.jettyErrorHandler()));
                // artifacts stream through this buffer: Jetty's 32 KiB default costs a write call per 32 KiB
                server.jetty.modifyHttpConfiguration(httpConfig -> httpConfig.setOutputBufferSize(OUTPUT_BUFFER_BYTES));
                errors.register(server.routes);
                if (authConfig.enabled()) {
                    auth.authenticator().register(server.routes);
                    accessPolicy.register(server.routes);
                    audit.register(server.routes);
                }
                new RequestLimits(limits).register(server.routes);
                authRoutes.register(server.routes);
                auditRoutes.register(server.routes);
                system.register(server.routes);
                experimentRoutes.register(server.routes);
                runRoutes.register(server.routes);
                metricRoutes.register(server.routes);
                artifacts.register(server.routes);
                registryRoutes.register(server.routes);
                axleRegistryRoutes.register(server.routes);
                eventRoutes.register(server.routes);
                registryAdminRoutes.register(server.routes);
                webhookRoutes.register(server.routes);
                mlflowWebhookRoutes.register(server.routes);
                deploymentRoutes.register(server.routes);
                ui.register(server.routes);
            });
            http.start(config.host(), config.port());
            webhooks.start();
            deployments.start();
            return new AxleServer(
                    database, artifactStore, registry, webhooks, deployments, http, accessPolicy, config.host());
        } catch (RuntimeException e) {
            if (deployments != null) {
                deployments.close();
            }
            if (webhooks != null) {
                webhooks.close();
            }
            if (registry != null) {
                registry.close();
            }
            artifactStore.close();
            database.close();
            throw e;
        }
    }

    // Javalin reports a taken port with a logged stack trace; a user deserves one sentence instead.
    private static void requirePortFree(String host, int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new AxleException(
                    ErrorCode.INVALID_PARAMETER_VALUE,
                    "Cannot listen on " + host + ":" + port + " (" + e.getMessage()
                            + "). Is another server running there? Choose another with --port.");
        }
    }

    public int port() {
        return http.port();
    }

    /** The address to point clients at ({@code MLFLOW_TRACKING_URI}). */
    public String url() {
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        if (shown.contains(":")) {
            shown = "[" + shown + "]";
        }
        return "http://" + shown + ":" + port();
    }

    /** Every registered HTTP route and the kind of rule the access policy gives it (empty: unclassified, refused). */
    public List<RouteAccess> routeAccess() {
        return http.unsafe.internalRouter.allHttpHandlers().stream()
                .map(parsed -> parsed.endpoint)
                .filter(endpoint -> endpoint.method.isHttpMethod())
                .map(endpoint -> new RouteAccess(
                        endpoint.method.name(),
                        endpoint.path,
                        accessPolicy.rule(endpoint.method.name(), endpoint.path).map(rule -> rule.kind())))
                .toList();
    }

    @Override
    public void close() {
        http.stop();
        deployments.close();
        webhooks.close();
        registry.close();
        artifactStore.close();
        database.close();
    }
}
