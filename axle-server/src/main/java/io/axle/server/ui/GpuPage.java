package io.axle.server.ui;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.server.deploy.Deployment;
import io.axle.server.deploy.DeploymentService.ExporterReport;
import io.axle.server.deploy.DeploymentService.LiveGpu;
import io.axle.server.deploy.GpuPool;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * The GPU pools the server admits releases against: for a pool learned from {@code axle gpu exporter}s, each
 * exporter's GPUs with their live memory (used, reserved by Axle, free); for a configured pool, its shape; and the
 * deployments that declare the pool.
 */
public final class GpuPage {
    /** The most nodes of a configured pool listed one by one. */
    static final int MAX_CONFIGURED_NODES = 100;

    private final UiServices services;
    private final Pages pages;

    GpuPage(UiServices services, Pages pages) {
        this.services = requireNonNull(services, "services is null");
        this.pages = requireNonNull(pages, "pages is null");
    }

    void register(RoutesConfig routes) {
        routes.get("/gpus", pages.page(this::gpus));
    }

    /**
     * One GPU's memory, and the bar that draws it: used, then what Axle has reserved of the free memory, then what is
     * free besides, each in percent of the total.
     */
    public record Gpu(
            int index,
            String uuid,
            String name,
            long total,
            long used,
            long reserved,
            long free,
            String usedPercent,
            String reservedPercent,
            String freePercent,
            String reservedAt,
            String freeAt,
            OptionalInt utilizationPercent,
            Map<String, Long> holders) {}

    /** What one exporter reported: its GPUs, or why it could not be read. */
    public record Exporter(String url, String hostname, Optional<String> error, List<Gpu> gpus) {}

    /** A deployment that declares the pool, with what it asks for. */
    public record Holder(
            String name, String badge, String status, String memory, int replicas, String currentVersion) {}

    /** A pool: its configured shape (if any), its exporters, and the deployments in it. */
    public record Pool(
            String name,
            boolean configured,
            int nodes,
            int gpusPerNode,
            long memoryPerGpu,
            List<Integer> configuredNodes,
            List<Exporter> exporters,
            List<Holder> deployments) {}

    /** The GPUs page. */
    public record View(Chrome chrome, List<Pool> pools) {}

    private void gpus(Context ctx) {
        List<GpuPool> pools = services.deployments().pools();
        Map<String, List<Holder>> holders = pools.isEmpty() ? Map.of() : holders();
        List<Pool> shown = pools.stream()
                .map(pool -> pool(pool, holders.getOrDefault(pool.name(), List.of())))
                .toList();
        pages.render(ctx, "gpus.jte", new View(pages.chrome(ctx, "GPUs", Section.GPUS), shown));
    }

    private Pool pool(GpuPool pool, List<Holder> holders) {
        List<Exporter> exporters = pool.exporters().isEmpty()
                ? List.of()
                : services.deployments().poolGpus(pool.name()).stream()
                        .map(GpuPage::exporter)
                        .toList();
        List<Integer> nodes = java.util.stream.IntStream.rangeClosed(1, Math.min(pool.nodes(), MAX_CONFIGURED_NODES))
                .boxed()
                .toList();
        return new Pool(
                pool.name(),
                pool.configured(),
                pool.nodes(),
                pool.gpusPerNode(),
                pool.memoryPerGpuBytes(),
                nodes,
                exporters,
                holders);
    }

    /** The deployments by the pool their spec names. */
    private Map<String, List<Holder>> holders() {
        return services.deployments().list().stream()
                .filter(deployment -> deployment.spec().hasNonNull("gpu_pool"))
                .collect(Collectors.groupingBy(
                        deployment -> deployment.spec().path("gpu_pool").asText(),
                        Collectors.mapping(GpuPage::holder, Collectors.toList())));
    }

    private static Holder holder(Deployment deployment) {
        JsonNode spec = deployment.spec();
        String memory = spec.hasNonNull("gpu_memory")
                ? Fmt.bytes(spec.path("gpu_memory").asLong()) + " per replica"
                : "the version's axle.gpu_memory_bytes tag";
        JsonNode gpu = spec.path("gpu");
        String mode = gpu.path("mode").asText("none");
        return new Holder(
                deployment.name(),
                DeploymentPage.badge(deployment.status()),
                deployment.status().name(),
                mode + (gpu.has("count") ? " × " + gpu.path("count").asInt() : "") + ", " + memory,
                spec.path("replicas").asInt(1),
                deployment.currentVersion().map(String::valueOf).orElse(""));
    }

    private static Exporter exporter(ExporterReport report) {
        return new Exporter(
                report.exporter(),
                report.hostname().isEmpty() ? host(report.exporter()) : report.hostname(),
                report.error(),
                report.gpus().stream().map(GpuPage::gpu).toList());
    }

    static Gpu gpu(LiveGpu gpu) {
        long total = Math.max(gpu.memoryTotalBytes(), gpu.memoryUsedBytes() + gpu.memoryFreeBytes());
        long used = Math.max(0, gpu.memoryUsedBytes());
        long free = Math.max(0, gpu.memoryFreeBytes());
        long reservedShown = Math.min(Math.max(0, gpu.axleReservedBytes()), free);
        double usedPercent = Fmt.percent(used, total);
        double reservedPercent = Fmt.percent(reservedShown, total);
        double freePercent = Math.max(0, 100 - usedPercent - reservedPercent);
        return new Gpu(
                gpu.index(),
                gpu.uuid(),
                gpu.name(),
                total,
                used,
                gpu.axleReservedBytes(),
                free,
                percent(usedPercent),
                percent(reservedPercent),
                percent(freePercent),
                percent(usedPercent),
                percent(usedPercent + reservedPercent),
                gpu.utilizationPercent(),
                gpu.reservedByOwner());
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.2f%%", Math.max(0, Math.min(100, value)));
    }

    private static String host(String exporter) {
        try {
            return Optional.ofNullable(URI.create(exporter).getHost()).orElse(exporter);
        } catch (IllegalArgumentException e) {
            return exporter;
        }
    }
}
