package io.axle.server.deploy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.server.db.Database;
import io.axle.server.deploy.DeploymentDao.DeploymentRow;
import io.axle.server.deploy.DeploymentDao.PoolRow;
import io.axle.server.deploy.render.DeploymentSpec;
import io.axle.server.deploy.render.DeploymentSpec.Follows;
import io.axle.server.deploy.render.RenderedFiles;
import io.axle.server.events.EventLog;
import io.axle.server.events.EventType;
import io.axle.server.events.NewEvent;
import io.axle.server.registry.ModelVersion;
import io.axle.server.registry.RegistryService;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.jdbi.v3.core.Handle;

/**
 * Deployments and GPU pools: create, read, update, delete, every deployment change an event in the registry's
 * outbox; renders for review, the history of commits, rollback through the registry and retry of a release.
 */
public final class DeploymentService {
    public static final int DEFAULT_HISTORY_RESULTS = 100;
    public static final int MAX_HISTORY_RESULTS = 10_000;

    private final Database database;
    private final EventLog events;
    private final RegistryService registry;
    private final Release release;
    private final ObjectMapper mapper;
    private final InstantSource clock;
    private final ExporterScraper scraper;

    DeploymentService(
            Database database,
            EventLog events,
            RegistryService registry,
            Release release,
            ObjectMapper mapper,
            InstantSource clock) {
        this.database = requireNonNull(database, "database is null");
        this.events = requireNonNull(events, "events is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.release = requireNonNull(release, "release is null");
        this.scraper = new ExporterScraper(InstantSource.system());
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    // ---- deployments

    public Deployment create(JsonNode declaration, String actor) {
        DeploymentDefinition definition = SpecJson.parse(declaration);
        String name = definition.name();
        database.useTransaction(handle -> {
            DeploymentDao dao = handle.attach(DeploymentDao.class);
            if (dao.find(name).isPresent()) {
                throw AxleException.alreadyExists("Deployment '" + name + "' already exists: change it with"
                        + " axle deploy update " + name + ", or choose another name");
            }
            requirePool(dao, definition);
            dao.insert(
                    name,
                    definition.spec().registeredModel(),
                    text(SpecJson.write(definition)),
                    definition.gpuPool().orElse(null),
                    definition.gpuMemoryBytes().orElse(null),
                    "Waiting for " + followed(definition.spec()),
                    clock.millis());
            appendEvent(handle, EventType.DEPLOYMENT_CREATED, definition.spec(), actor);
        });
        return get(name);
    }

    /** Replaces the top-level fields {@code patch} names; the name cannot change. */
    public Deployment update(String name, JsonNode patch, String actor) {
        database.useTransaction(handle -> {
            DeploymentDao dao = handle.attach(DeploymentDao.class);
            DeploymentRow row = dao.lock(name).orElseThrow(() -> notFound(name));
            JsonNode merged = SpecJson.merge(read(row.spec()), patch);
            DeploymentDefinition definition = SpecJson.parse(merged);
            if (!definition.name().equals(name)) {
                throw AxleException.invalidParameter("A deployment cannot be renamed ('" + name + "' to '"
                        + definition.name() + "'): create one under the new name and delete this one");
            }
            requirePool(dao, definition);
            dao.update(
                    name,
                    definition.spec().registeredModel(),
                    text(SpecJson.write(definition)),
                    definition.gpuPool().orElse(null),
                    definition.gpuMemoryBytes().orElse(null),
                    clock.millis());
            appendEvent(handle, EventType.DEPLOYMENT_UPDATED, definition.spec(), actor);
        });
        return get(name);
    }

    public Deployment get(String name) {
        return database.withHandle(handle -> handle.attach(DeploymentDao.class)
                .find(name)
                .map(this::deployment)
                .orElseThrow(() -> notFound(name)));
    }

    public List<Deployment> list() {
        return database.withHandle(handle -> handle.attach(DeploymentDao.class).all().stream()
                .map(this::deployment)
                .toList());
    }

    /** Forgets the deployment; what it committed stays in the GitOps repository. */
    public void delete(String name, String actor) {
        database.useTransaction(handle -> {
            DeploymentDao dao = handle.attach(DeploymentDao.class);
            DeploymentRow row = dao.lock(name).orElseThrow(() -> notFound(name));
            dao.delete(name);
            appendEvent(
                    handle,
                    EventType.DEPLOYMENT_DELETED,
                    release.definition(row).spec(),
                    actor);
        });
    }

    public List<DeploymentRevision> history(String name, int maxResults) {
        if (maxResults < 1 || maxResults > MAX_HISTORY_RESULTS) {
            throw AxleException.invalidParameter(
                    "'max_results' must be between 1 and " + MAX_HISTORY_RESULTS + ", not " + maxResults);
        }
        return database.withHandle(handle -> {
            DeploymentDao dao = handle.attach(DeploymentDao.class);
            dao.find(name).orElseThrow(() -> notFound(name));
            return dao.revisions(name, maxResults).stream()
                    .map(row -> new DeploymentRevision(
                            row.revisionId(),
                            row.deployment(),
                            row.version(),
                            row.commitSha(),
                            row.actor(),
                            row.eventSeq(),
                            row.createdTime()))
                    .toList();
        });
    }

    /** What a release of {@code version} would commit; by default the version the deployment follows now. */
    public RenderedRelease render(String name, Optional<Long> version) {
        DeploymentRow row = row(name);
        long chosen = version.or(() -> followedVersion(row))
                .or(() -> Optional.ofNullable(row.currentVersion()))
                .orElseThrow(() -> AxleException.invalidParameter("Deployment '" + name + "' follows "
                        + followed(release.definition(row).spec()) + ", which is not set: name a version"));
        return new RenderedRelease(chosen, release.render(row, chosen));
    }

    /** A render and the version it is of. */
    public record RenderedRelease(long version, RenderedFiles files) {
        public RenderedRelease {
            requireNonNull(files, "files is null");
        }
    }

    /**
     * Moves what the deployment follows back to {@code to}, or to the version of the latest revision before the
     * current one, through the registry: the deployer then releases it as any promotion. Returns that version.
     */
    public long rollback(String name, Optional<Long> to, String actor) {
        DeploymentRow row = row(name);
        DeploymentSpec spec = release.definition(row).spec();
        long target = to.orElseGet(() -> previousVersion(row));
        switch (spec.follows()) {
            case Follows.Alias alias ->
                registry.setAlias(spec.registeredModel(), alias.alias(), Long.toString(target), actor);
            case Follows.Stage stage ->
                registry.transitionStage(spec.registeredModel(), Long.toString(target), stage.stage(), true, actor);
        }
        return target;
    }

    /** Releases the version the deployment follows now, again: after a FAILED or BLOCKED release was put right. */
    public Deployment retry(String name, String actor) {
        DeploymentRow row = row(name);
        long version = followedVersion(row)
                .orElseThrow(() -> new AxleException(
                        ErrorCode.INVALID_STATE,
                        "Deployment '" + name + "' follows "
                                + followed(release.definition(row).spec())
                                + ", which is not set: there is nothing to release"));
        Release.Outcome outcome = releaseNow(row, version, new Release.Cause(events.latest(), "retry", actor));
        database.useTransaction(handle -> release.record(handle, outcome));
        return get(name);
    }

    /** Runs a release of {@code version}, reading the pool and its deployments first. */
    Release.Outcome releaseNow(DeploymentRow row, long version, Release.Cause cause) {
        Optional<String> poolName = Optional.ofNullable(row.gpuPool());
        Optional<GpuPool> pool = poolName.flatMap(this::findPool);
        List<DeploymentRow> inPool = poolName.map(p -> database.withHandle(
                        handle -> handle.attach(DeploymentDao.class).inPool(p)))
                .orElse(List.of());
        return release.decide(row, version, cause, pool, inPool);
    }

    /** The version the deployment's alias or stage names now, if it names one. */
    Optional<Long> followedVersion(DeploymentRow row) {
        DeploymentSpec spec = release.definition(row).spec();
        try {
            return switch (spec.follows()) {
                case Follows.Alias alias ->
                    Optional.of(Long.parseLong(registry.versionByAlias(spec.registeredModel(), alias.alias())
                            .version()));
                case Follows.Stage stage ->
                    registry.latestVersions(spec.registeredModel(), List.of(stage.stage())).stream()
                            .map(ModelVersion::version)
                            .map(Long::parseLong)
                            .findFirst();
            };
        } catch (AxleException e) {
            if (e.errorCode() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private long previousVersion(DeploymentRow row) {
        Optional<Long> current = Optional.ofNullable(row.currentVersion());
        return database.withHandle(handle -> handle.attach(DeploymentDao.class).revisions(row.name(), 1000)).stream()
                .map(DeploymentDao.RevisionRow::version)
                .filter(version -> current.isEmpty() || version.longValue() != current.get())
                .findFirst()
                .orElseThrow(() -> new AxleException(
                        ErrorCode.INVALID_STATE,
                        "Deployment '" + row.name() + "' has no earlier version to roll back to: name one with"
                                + " --to VERSION"));
    }

    Follows follows(DeploymentRow row) {
        return release.definition(row).spec().follows();
    }

    void record(Handle handle, Release.Outcome outcome) {
        release.record(handle, outcome);
    }

    DeploymentRow row(String name) {
        return database.withHandle(handle -> handle.attach(DeploymentDao.class).find(name))
                .orElseThrow(() -> notFound(name));
    }

    // ---- GPU pools

    /** Creates the pool or replaces its shape and exporters. */
    public GpuPool putPool(GpuPool pool) {
        database.useTransaction(handle -> {
            DeploymentDao dao = handle.attach(DeploymentDao.class);
            long now = clock.millis();
            String exporters = pool.storedExporters();
            if (dao.updatePool(pool.name(), pool.nodes(), pool.gpusPerNode(), pool.memoryPerGpuBytes(), exporters, now)
                    == 0) {
                dao.insertPool(pool.name(), pool.nodes(), pool.gpusPerNode(), pool.memoryPerGpuBytes(), exporters, now);
            }
        });
        return pool;
    }

    public List<GpuPool> pools() {
        return database.withHandle(handle -> handle.attach(DeploymentDao.class).pools().stream()
                .map(DeploymentService::pool)
                .toList());
    }

    public GpuPool getPool(String name) {
        return findPool(name).orElseThrow(() -> AxleException.notFound("GPU pool '" + name + "' does not exist"));
    }

    public void deletePool(String name) {
        database.useTransaction(handle -> {
            DeploymentDao dao = handle.attach(DeploymentDao.class);
            List<String> users =
                    dao.inPool(name).stream().map(DeploymentRow::name).toList();
            if (!users.isEmpty()) {
                throw new AxleException(
                        ErrorCode.INVALID_STATE,
                        "GPU pool '" + name + "' is used by deployments " + users + ": move them to another first");
            }
            if (dao.deletePool(name) == 0) {
                throw AxleException.notFound("GPU pool '" + name + "' does not exist");
            }
        });
    }

    /**
     * What one exporter of a pool reports now.
     *
     * @param error why it could not be read; then no GPUs
     */
    public record ExporterReport(String exporter, String hostname, Optional<String> error, List<LiveGpu> gpus) {
        public ExporterReport {
            requireNonNull(exporter, "exporter is null");
            requireNonNull(hostname, "hostname is null");
            requireNonNull(error, "error is null");
            gpus = List.copyOf(gpus);
        }
    }

    /**
     * @param axleReservedBytes memory Axle has reserved on the GPU, used or not yet
     * @param reservedByOwner the same per owner (a deployment or serve), as the exporter labels it
     * @param utilizationPercent {@code DCGM_FI_DEV_GPU_UTIL}, when the exporter reports it
     */
    public record LiveGpu(
            int index,
            String uuid,
            String name,
            long memoryTotalBytes,
            long memoryUsedBytes,
            long memoryFreeBytes,
            long axleReservedBytes,
            Map<String, Long> reservedByOwner,
            OptionalInt utilizationPercent) {
        public LiveGpu {
            requireNonNull(uuid, "uuid is null");
            requireNonNull(name, "name is null");
            reservedByOwner = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(reservedByOwner));
            requireNonNull(utilizationPercent, "utilizationPercent is null");
        }
    }

    /** What the pool's exporters report now (none for a configured pool), each exporter's GPUs or its failure. */
    public List<ExporterReport> poolGpus(String name) {
        return scraper.scrape(getPool(name).exporters()).stream()
                .map(DeploymentService::report)
                .toList();
    }

    private static ExporterReport report(ExporterScraper.Scrape scrape) {
        return switch (scrape) {
            case ExporterScraper.Scraped scraped ->
                new ExporterReport(
                        scraped.exporter().toString(),
                        scraped.snapshot().hostname(),
                        Optional.empty(),
                        scraped.snapshot().gpus().stream()
                                .map(gpu -> new LiveGpu(
                                        gpu.index(),
                                        gpu.uuid(),
                                        gpu.name(),
                                        gpu.memoryTotalBytes(),
                                        gpu.memoryUsedBytes(),
                                        gpu.memoryFreeBytes(),
                                        scraped.reservedBytes(gpu),
                                        scraped.owners(gpu),
                                        gpu.gpuUtilizationPercent()))
                                .toList());
            case ExporterScraper.ScrapeFailed failed ->
                new ExporterReport(failed.exporter().toString(), "", Optional.of(failed.reason()), List.of());
        };
    }

    private Optional<GpuPool> findPool(String name) {
        return database.withHandle(handle -> handle.attach(DeploymentDao.class).findPool(name))
                .map(DeploymentService::pool);
    }

    private static GpuPool pool(PoolRow row) {
        return new GpuPool(
                row.name(),
                row.nodes(),
                row.gpusPerNode(),
                row.memoryPerGpu(),
                GpuPool.parseExporters(row.name(), row.exporters()));
    }

    private static void requirePool(DeploymentDao dao, DeploymentDefinition definition) {
        definition.gpuPool().ifPresent(pool -> {
            if (dao.findPool(pool).isEmpty()) {
                throw AxleException.invalidParameter("Deployment '" + definition.name() + "' names GPU pool '" + pool
                        + "', which does not exist: create it first (POST /api/2.0/axle/gpu-pools)");
            }
        });
    }

    private void appendEvent(Handle handle, EventType type, DeploymentSpec spec, String actor) {
        events.append(handle, NewEvent.of(type, spec.registeredModel(), actor, Map.of("deployment", spec.name())));
    }

    private Deployment deployment(DeploymentRow row) {
        return new Deployment(
                row.name(),
                row.registeredModel(),
                read(row.spec()),
                DeploymentStatus.valueOf(row.status()),
                row.statusMessage(),
                Optional.ofNullable(row.currentVersion()),
                Optional.ofNullable(row.lastCommit()),
                row.creationTime(),
                row.lastUpdatedTime());
    }

    private static String followed(DeploymentSpec spec) {
        return spec.follows().modelUri(spec.registeredModel());
    }

    private static AxleException notFound(String name) {
        return AxleException.notFound("Deployment '" + name + "' does not exist");
    }

    private JsonNode read(String text) {
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored deployment spec is not JSON", e);
        }
    }

    private String text(JsonNode json) {
        try {
            return mapper.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
