package io.axle.server.deploy;

import static java.util.Objects.requireNonNull;

import io.axle.gpu.Gpu;
import io.axle.gpu.GpuSnapshot;
import io.axle.gpu.placement.Admission;
import io.axle.gpu.placement.ByteSize;
import io.axle.gpu.placement.Placement;
import io.axle.gpu.placement.PlacementPolicy;
import io.axle.gpu.placement.Placer;
import io.axle.gpu.placement.ReplicaRequest;
import io.axle.server.deploy.ExporterScraper.Scrape;
import io.axle.server.deploy.ExporterScraper.ScrapeFailed;
import io.axle.server.deploy.ExporterScraper.Scraped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Admission of a release against a GPU pool. The pool becomes a snapshot of GPUs: idle ones of its configured shape,
 * or the ones its exporters report with their live free memory (less what Axle has reserved there). What other
 * deployments hold (and the deployment's own running replicas) goes on the ledger first, and axle-gpu's
 * {@link Placer} replays the rolling update with one surge replica, then without, each GPU's free memory the lower of
 * the ledger's (total − held) and the live one: memory used from outside Axle counts too.
 *
 * <p>When an exporter cannot be read, a pool with a configured shape falls back to it (and says so); one without is
 * not admitted, the message naming the exporter.
 */
final class DeployAdmission {
    /** Replicas a deployment holds in its pool: what it last committed. */
    record Held(String deployment, int replicas, long bytesPerReplica) {
        Held {
            requireNonNull(deployment, "deployment is null");
        }
    }

    /**
     * The GPUs admission works on and how they were found out (empty for a configured pool); no GPUs: the exporters
     * could not be read and {@code source} says which.
     */
    private record PoolGpus(Optional<GpuSnapshot> snapshot, String source) {}

    private final Placer placer;
    private final ExporterScraper scraper;

    DeployAdmission(long headroomBytes) {
        this(headroomBytes, new ExporterScraper(Clock.systemUTC()));
    }

    DeployAdmission(long headroomBytes, ExporterScraper scraper) {
        this.placer = new Placer(headroomBytes);
        this.scraper = requireNonNull(scraper, "scraper is null");
    }

    Admission admit(GpuPool pool, List<Held> others, Optional<Held> own, Held request) {
        PoolGpus gpus = gpus(pool);
        if (gpus.snapshot().isEmpty()) {
            return new Admission(Admission.Verdict.DOES_NOT_FIT, List.of(), gpus.source());
        }
        GpuSnapshot snapshot = gpus.snapshot().get();
        // the ledger is placed on idle GPUs: what the deployments hold shows in the live memory already
        GpuSnapshot ledger = idle(snapshot);
        List<Placement> placed = new ArrayList<>();
        for (Held held : others) {
            place(ledger, placed, held);
        }
        own.ifPresent(held -> place(ledger, placed, held));
        Admission admission = placer.admit(
                snapshot,
                placed,
                new ReplicaRequest(request.deployment(), request.replicas(), request.bytesPerReplica(), 1),
                PlacementPolicy.BEST_FIT);
        return gpus.source().isEmpty()
                ? admission
                : new Admission(admission.verdict(), admission.placements(), gpus.source() + admission.explanation());
    }

    /** What the pool's exporters report now, each exporter's answer or why it could not be read. */
    List<Scrape> scrape(GpuPool pool) {
        return scraper.scrape(pool.exporters());
    }

    // a deployment admitted earlier that no longer fits (the pool shrank) holds what still fits
    private void place(GpuSnapshot snapshot, List<Placement> placed, Held held) {
        Admission admission = placer.admit(
                snapshot,
                placed,
                new ReplicaRequest(held.deployment(), held.replicas(), held.bytesPerReplica(), 0),
                PlacementPolicy.BEST_FIT);
        placed.addAll(admission.placements());
    }

    private PoolGpus gpus(GpuPool pool) {
        if (pool.exporters().isEmpty()) {
            return new PoolGpus(Optional.of(configured(pool)), "");
        }
        List<Scrape> scrapes = scrape(pool);
        List<ScrapeFailed> failed = scrapes.stream()
                .filter(ScrapeFailed.class::isInstance)
                .map(ScrapeFailed.class::cast)
                .toList();
        String failures = failed.stream()
                .map(failure -> "exporter " + failure.exporter() + " cannot be read (" + failure.reason() + ")")
                .collect(Collectors.joining("; "));
        if (!failed.isEmpty() && pool.configured()) {
            return new PoolGpus(
                    Optional.of(configured(pool)),
                    failures + ": admitted against the configured " + pool.nodes() + " × " + pool.gpusPerNode() + " × "
                            + ByteSize.format(pool.memoryPerGpuBytes()) + " instead; ");
        }
        if (!failed.isEmpty()) {
            return new PoolGpus(
                    Optional.empty(),
                    failures + ": start it or fix the pool's exporters (axle gpu exporter serves /metrics on port"
                            + " 9400), or give the pool a configured shape to fall back to");
        }
        List<Gpu> gpus = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Scrape scrape : scrapes) {
            Scraped scraped = (Scraped) scrape;
            for (Gpu gpu : scraped.snapshot().gpus()) {
                // two URLs of one node report its GPUs twice: a GPU is its UUID
                if (seen.add(gpu.uuid())) {
                    gpus.add(withFree(gpu, Math.max(0, gpu.memoryFreeBytes() - scraped.reservedBytes(gpu))));
                }
            }
        }
        Instant takenAt = ((Scraped) scrapes.getFirst()).snapshot().takenAt();
        return new PoolGpus(
                Optional.of(
                        new GpuSnapshot(pool.name(), "exporters", takenAt, Optional.empty(), Optional.empty(), gpus)),
                "live free memory from " + scrapes.size() + " exporter(s), less axle_gpu_reserved_bytes; ");
    }

    /** The pool as idle GPUs, named {@code node<n>/gpu<g>}. */
    private static GpuSnapshot configured(GpuPool pool) {
        List<Gpu> gpus = new ArrayList<>();
        for (int node = 0; node < pool.nodes(); node++) {
            for (int gpu = 0; gpu < pool.gpusPerNode(); gpu++) {
                int index = node * pool.gpusPerNode() + gpu;
                gpus.add(Gpu.basic(
                        index,
                        "node" + node + "/gpu" + gpu,
                        pool.name(),
                        "pool",
                        pool.memoryPerGpuBytes(),
                        0,
                        pool.memoryPerGpuBytes()));
            }
        }
        return new GpuSnapshot(pool.name(), "pool", Instant.EPOCH, Optional.empty(), Optional.empty(), gpus);
    }

    private static GpuSnapshot idle(GpuSnapshot snapshot) {
        return new GpuSnapshot(
                snapshot.hostname(),
                snapshot.source(),
                snapshot.takenAt(),
                snapshot.driverVersion(),
                snapshot.cudaDriverVersion(),
                snapshot.gpus().stream()
                        .map(gpu -> withFree(gpu, gpu.memoryTotalBytes()))
                        .toList());
    }

    private static Gpu withFree(Gpu gpu, long freeBytes) {
        return new Gpu(
                gpu.index(),
                gpu.uuid(),
                gpu.name(),
                gpu.pciBusId(),
                gpu.memoryTotalBytes(),
                gpu.memoryTotalBytes() - freeBytes,
                freeBytes,
                gpu.memoryReservedBytes(),
                gpu.gpuUtilizationPercent(),
                gpu.memoryUtilizationPercent(),
                gpu.temperatureCelsius(),
                gpu.powerMilliwatts(),
                gpu.energyMillijoules(),
                gpu.smClockMhz(),
                gpu.memoryClockMhz(),
                gpu.migEnabled(),
                gpu.migDevices(),
                gpu.processes());
    }
}
