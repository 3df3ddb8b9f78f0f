package io.axle.cli.serve;

import static java.util.Objects.requireNonNull;

import io.axle.cli.client.TrackingClient;
import io.axle.common.AxleException;
import io.axle.gpu.Gpu;
import io.axle.gpu.GpuSnapshot;
import io.axle.gpu.GpuUnavailableException;
import io.axle.gpu.metrics.DcgmMetrics;
import io.axle.gpu.reservation.Reservation;
import io.axle.gpu.reservation.ReservationLedger;
import io.axle.serving.LoadOptions;
import io.axle.serving.Model;
import io.axle.serving.ModelHandle;
import io.axle.serving.Predictor;
import io.axle.serving.ServedModel;
import io.axle.serving.batch.DynamicBatcher;
import io.axle.serving.http.ServingServer;
import io.axle.serving.metrics.ServingMetrics;
import io.axle.serving.model.ModelLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * One running {@code axle serve}: the model resolved, downloaded, placed and loaded, the HTTP server in front of it,
 * and with {@code --watch} the poller that swaps in new versions. Closing it stops them in reverse order.
 */
final class ServeSession implements AutoCloseable {

    private final ServingServer server;
    private final ModelHandle handle;
    private final Optional<VersionWatcher> watcher;
    private final List<Runnable> clientClosers;
    private final String url;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ServeSession(
            ServingServer server,
            ModelHandle handle,
            Optional<VersionWatcher> watcher,
            List<Runnable> clientClosers,
            String url) {
        this.server = server;
        this.handle = handle;
        this.watcher = watcher;
        this.clientClosers = List.copyOf(clientClosers);
        this.url = url;
    }

    /**
     * Starts serving; returns once the port is bound.
     *
     * @param trackingClient opened only when the model comes from the tracking server
     * @param gpus reads this host's GPUs, throwing {@link io.axle.gpu.GpuUnavailableException} where there are none
     * @param environment for {@code CUDA_DEVICE_ORDER} and {@code CUDA_VISIBLE_DEVICES}
     * @param log one line per event, for people reading the server's output
     */
    static ServeSession start(
            ServeSettings settings,
            Supplier<TrackingClient> trackingClient,
            Supplier<GpuSnapshot> gpus,
            Map<String, String> environment,
            Consumer<String> log) {
        List<Runnable> opened = new ArrayList<>();
        List<Runnable> clientClosers = new ArrayList<>();
        try {
            Loader loader;
            Optional<ResolvedModel> resolved;
            Path directory;
            switch (settings.source()) {
                case ModelSource.LocalDirectory local -> {
                    loader = new Loader(settings, Optional.empty(), gpus, new ServingMetrics(), log);
                    resolved = Optional.empty();
                    directory = local.directory();
                }
                case ModelSource.Remote remote -> {
                    TrackingClient client = trackingClient.get();
                    opened.add(client::close);
                    clientClosers.add(client::close);
                    RegistryClient registry = new RegistryClient(client);
                    loader = new Loader(settings, Optional.of(registry), gpus, new ServingMetrics(), log);
                    resolved = Optional.of(registry.resolve(remote.uri()));
                    log.accept(remote.uri() + " is " + resolved.get().describe() + " on " + registry.url());
                    directory = loader.cache().fetch(resolved.get());
                }
            }
            if (settings.reportFootprint()
                    && resolved.flatMap(ResolvedModel::version).isEmpty()) {
                throw AxleException.invalidParameter("--report-footprint records tags on a registered model version; "
                        + resolved.map(ResolvedModel::uri).orElse("this model") + " is not one");
            }
            Footprint footprint = loader.footprint(directory, resolved);
            DeviceChoice.Placement placement = place(settings, gpus, footprint, environment, log);
            placement.gpu().ifPresent(gpu -> loader.metrics().includeSeries(() -> gpuSeries(gpus, gpu.uuid())));
            ServedModel first = loader.load(directory, resolved, placement);
            ModelHandle handle = new ModelHandle(first);
            opened.add(handle::close);
            ServingServer server = ServingServer.start(settings.serving(), handle, loader.metrics());
            opened.add(server::close);
            String url = url(settings.serving().host(), server.port());
            Model model = first.model();
            log.accept("serving " + model.name()
                    + model.version().map(version -> " version " + version).orElse("") + " (" + model.platform()
                    + ") on " + placement.shortName() + " at " + url);
            Optional<VersionWatcher> watcher = watch(settings, resolved, loader, handle, placement, log);
            return new ServeSession(server, handle, watcher, clientClosers, url);
        } catch (RuntimeException e) {
            closeAll(opened, e);
            throw e;
        }
    }

    /**
     * Where the model goes. {@code --device auto} chooses under the node's reservation ledger (the one
     * {@code axle gpu pick} uses, in {@code AXLE_GPU_STATE_DIR} or /var/tmp/axle-gpu): what others reserved counts
     * against a GPU's free memory, and the footprint is reserved on the GPU chosen for as long as loading takes (two
     * minutes; by then NVML shows the memory as used), so two servers starting at once never take the same memory.
     * A ledger that cannot be used is logged and the choice made without it.
     */
    private static DeviceChoice.Placement place(
            ServeSettings settings,
            Supplier<GpuSnapshot> gpus,
            Footprint footprint,
            Map<String, String> environment,
            Consumer<String> log) {
        if (!(settings.device() instanceof DeviceRequest.Auto) || !anyGpu(gpus)) {
            return DeviceChoice.choose(settings.device(), gpus, footprint, Map.of(), environment, log);
        }
        Path stateDir =
                Path.of(environment.getOrDefault("AXLE_GPU_STATE_DIR", ReservationLedger.DEFAULT_STATE_DIR.toString()));
        DeviceChoice.Placement[] chosen = new DeviceChoice.Placement[1];
        try {
            ReservationLedger.open(stateDir)
                    .reserve(RESERVATION_TTL, System.getProperty("user.name", "unknown"), "axle serve", active -> {
                        Map<String, Long> reserved = new java.util.HashMap<>();
                        for (Reservation held : active) {
                            reserved.merge(held.gpuUuid(), held.bytes(), Long::sum);
                        }
                        chosen[0] = DeviceChoice.choose(settings.device(), gpus, footprint, reserved, environment, log);
                        return chosen[0]
                                .gpu()
                                .map(gpu -> List.of(new Reservation.Claim(gpu.uuid(), footprint.bytes())))
                                .orElse(List.of());
                    });
            return chosen[0];
        } catch (AxleException | UncheckedIOException e) {
            if (chosen[0] != null) {
                return chosen[0];
            }
            log.accept("GPU reservations in " + stateDir + " cannot be used (" + e.getMessage()
                    + "); choosing without them");
            return DeviceChoice.choose(settings.device(), gpus, footprint, Map.of(), environment, log);
        }
    }

    /** The DCGM-named series of the GPU the model runs on, read at scrape time; none while it cannot be read. */
    private static String gpuSeries(Supplier<GpuSnapshot> gpus, String uuid) {
        try {
            GpuSnapshot all = gpus.get();
            GpuSnapshot mine = new GpuSnapshot(
                    all.hostname(),
                    all.source(),
                    all.takenAt(),
                    all.driverVersion(),
                    all.cudaDriverVersion(),
                    all.gpus().stream().filter(gpu -> gpu.uuid().equals(uuid)).toList());
            return DcgmMetrics.render(mine, List.of());
        } catch (AxleException e) {
            return "";
        }
    }

    private static boolean anyGpu(Supplier<GpuSnapshot> gpus) {
        try {
            return !gpus.get().gpus().isEmpty();
        } catch (GpuUnavailableException e) {
            return false;
        }
    }

    private static final java.time.Duration RESERVATION_TTL = java.time.Duration.ofMinutes(2);

    String url() {
        return url;
    }

    int port() {
        return server.port();
    }

    /** Blocks until the server stops. */
    void join() {
        server.join();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // no swap may start while the server drains, and the model outlives the requests using it
        watcher.ifPresent(VersionWatcher::close);
        try {
            server.close();
        } finally {
            try {
                handle.close();
            } finally {
                closeAll(clientClosers, null);
            }
        }
    }

    private static Optional<VersionWatcher> watch(
            ServeSettings settings,
            Optional<ResolvedModel> resolved,
            Loader loader,
            ModelHandle handle,
            DeviceChoice.Placement placement,
            Consumer<String> log) {
        if (settings.watchInterval().isEmpty()
                || resolved.flatMap(ResolvedModel::version).isEmpty()) {
            return Optional.empty();
        }
        RegistryClient registry = loader.registry().orElseThrow();
        VersionWatcher watcher = new VersionWatcher(
                ((ModelSource.Remote) settings.source()).uri(),
                resolved.get().version().orElseThrow(),
                registry::resolve,
                next -> {
                    // the new version loads beside the old one on the same device, then takes over atomically
                    ServedModel loaded = loader.load(loader.cache().fetch(next), Optional.of(next), placement);
                    handle.swap(loaded);
                },
                log);
        watcher.start(settings.watchInterval().get());
        return Optional.of(watcher);
    }

    private static String url(String host, int port) {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Closes in reverse order of opening; after {@code failure}, a failure to close is added to it. */
    private static void closeAll(List<Runnable> closers, Throwable failure) {
        for (Runnable closer : closers.reversed()) {
            if (failure == null) {
                closer.run();
                continue;
            }
            try {
                closer.run();
            } catch (RuntimeException e) {
                // the first failure is the one to report
                failure.addSuppressed(e);
            }
        }
    }

    /** Loads a model directory as the settings say, measuring and tagging its footprint when asked. */
    private record Loader(
            ServeSettings settings,
            Optional<RegistryClient> registry,
            Supplier<GpuSnapshot> gpus,
            ServingMetrics metrics,
            Consumer<String> log) {
        private Loader {
            requireNonNull(settings, "settings is null");
            requireNonNull(registry, "registry is null");
            requireNonNull(gpus, "gpus is null");
            requireNonNull(metrics, "metrics is null");
            requireNonNull(log, "log is null");
        }

        ModelCache cache() {
            return new ModelCache(settings.modelCache(), registry.orElseThrow(), log);
        }

        Footprint footprint(Path directory, Optional<ResolvedModel> resolved) {
            if (!(settings.device() instanceof DeviceRequest.Auto)) {
                return Footprint.of(Optional.empty(), 0);
            }
            Optional<String> measured = Optional.empty();
            if (registry.isPresent()
                    && resolved.isPresent()
                    && resolved.get().name().isPresent()
                    && resolved.get().version().isPresent()) {
                measured = registry.get()
                        .versionTag(
                                resolved.get().name().get(),
                                resolved.get().version().get(),
                                Footprint.GPU_MEMORY_TAG);
            }
            return Footprint.of(measured, resolved.map(ResolvedModel::totalSize).orElseGet(() -> size(directory)));
        }

        ServedModel load(Path directory, Optional<ResolvedModel> resolved, DeviceChoice.Placement placement) {
            String name = settings.name()
                    .or(() -> resolved.flatMap(ResolvedModel::name))
                    .orElseGet(() -> directory.getFileName().toString());
            Optional<String> version = resolved.flatMap(ResolvedModel::version);
            Optional<FootprintMeter> meter = settings.reportFootprint()
                    ? Optional.of(FootprintMeter.before(gpus, placement.gpu().map(Gpu::uuid)))
                    : Optional.empty();
            long started = System.nanoTime();
            LoadOptions options = new LoadOptions(
                    Optional.of(name),
                    version,
                    placement.device(),
                    settings.gpuMemoryLimitBytes(),
                    settings.intraOpThreads());
            Model model = ModelLoader.load(directory, options);
            double seconds = (System.nanoTime() - started) / 1e9;
            metrics.modelLoaded(model.name(), model.version().orElse(""), seconds);
            log.accept(String.format(
                    "loaded %s%s in %.1f s",
                    name, version.map(number -> " version " + number).orElse(""), seconds));
            try {
                meter.ifPresent(measuring -> report(measuring.tags(), resolved.orElseThrow()));
                Predictor predictor = settings.batching()
                        .<Predictor>map(batching -> DynamicBatcher.create(model, batching, metrics))
                        .orElseGet(() -> Predictor.direct(model));
                return new ServedModel(model, predictor);
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
        }

        private void report(Map<String, String> tags, ResolvedModel model) {
            RegistryClient client = registry.orElseThrow();
            tags.forEach((key, value) -> client.setVersionTag(
                    model.name().orElseThrow(), model.version().orElseThrow(), key, value));
            log.accept("footprint of " + model.describe() + " recorded as tags " + tags);
        }

        private static long size(Path directory) {
            try (Stream<Path> files = Files.walk(directory)) {
                return files.filter(Files::isRegularFile)
                        .mapToLong(file -> {
                            try {
                                return Files.size(file);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        })
                        .sum();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
