package io.axle.server.deploy;

import static java.util.Objects.requireNonNull;

import io.axle.gpu.Gpu;
import io.axle.gpu.GpuSnapshot;
import io.axle.server.deploy.PrometheusSamples.Sample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads the GPUs of a pool from the {@code axle gpu exporter}s (or NVIDIA dcgm-exporters) it is pointed at: all
 * exporters at once, each within {@link #TIMEOUT}. Memory comes from {@code DCGM_FI_DEV_FB_USED}, {@code _FREE} and
 * {@code _RESERVED} (MiB), the memory Axle has promised on a GPU from {@code axle_gpu_reserved_bytes}.
 */
final class ExporterScraper {
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** A node's exporter answers some hundred KiB; more is not an exporter. */
    static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    private static final long MIB = 1024L * 1024;

    /** What one exporter answered. */
    sealed interface Scrape permits Scraped, ScrapeFailed {
        URI exporter();
    }

    /**
     * @param snapshot the exporter's GPUs as it reports them
     * @param reservedByOwner per GPU UUID, memory Axle has reserved there, used or not yet, per owner (the
     *     {@code owner} label; empty from an exporter that does not label its reservations)
     */
    record Scraped(URI exporter, GpuSnapshot snapshot, Map<String, Map<String, Long>> reservedByOwner)
            implements Scrape {
        Scraped {
            requireNonNull(exporter, "exporter is null");
            requireNonNull(snapshot, "snapshot is null");
            reservedByOwner = reservedByOwner.entrySet().stream()
                    .collect(java.util.stream.Collectors.toUnmodifiableMap(
                            Map.Entry::getKey, entry -> Map.copyOf(entry.getValue())));
        }

        long reservedBytes(Gpu gpu) {
            return owners(gpu).values().stream().mapToLong(Long::longValue).sum();
        }

        Map<String, Long> owners(Gpu gpu) {
            return reservedByOwner.getOrDefault(gpu.uuid(), Map.of());
        }
    }

    record ScrapeFailed(URI exporter, String reason) implements Scrape {
        ScrapeFailed {
            requireNonNull(exporter, "exporter is null");
            requireNonNull(reason, "reason is null");
        }
    }

    private final HttpClient client;
    private final InstantSource clock;

    ExporterScraper(InstantSource clock) {
        this.clock = requireNonNull(clock, "clock is null");
        this.client = HttpClient.newBuilder()
                .connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Every exporter, in parallel; in the order given. */
    List<Scrape> scrape(List<URI> exporters) {
        List<CompletableFuture<Scrape>> pending = new ArrayList<>();
        for (URI exporter : exporters) {
            HttpRequest request =
                    HttpRequest.newBuilder(exporter).timeout(TIMEOUT).GET().build();
            pending.add(client.sendAsync(request, info -> new LimitedText(MAX_BODY_BYTES))
                    .orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .handle((response, failure) -> failure == null
                            ? scraped(exporter, response)
                            : new ScrapeFailed(exporter, reason(failure))));
        }
        return pending.stream().map(CompletableFuture::join).toList();
    }

    private Scrape scraped(URI exporter, HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            return new ScrapeFailed(exporter, "HTTP " + response.statusCode());
        }
        return snapshot(exporter, PrometheusSamples.parse(response.body()));
    }

    /** The GPUs in {@code samples}, one per {@code UUID} label that has framebuffer metrics. */
    Scrape snapshot(URI exporter, List<Sample> samples) {
        Map<String, GpuMemory> memory = new LinkedHashMap<>();
        Map<String, Map<String, Long>> reserved = new LinkedHashMap<>();
        Map<String, Integer> utilization = new LinkedHashMap<>();
        String hostname = Optional.ofNullable(exporter.getHost()).orElse("");
        for (Sample sample : samples) {
            String uuid = sample.label("UUID");
            switch (sample.name()) {
                case "axle_gpu_up" -> {
                    if (sample.value() == 0) {
                        return new ScrapeFailed(exporter, "it reports axle_gpu_up 0 (it cannot read its GPUs)");
                    }
                }
                case "axle_gpu_reserved_bytes" ->
                    reserved.computeIfAbsent(uuid, key -> new java.util.TreeMap<>())
                            .merge(sample.label("owner"), (long) sample.value(), Long::sum);
                case "DCGM_FI_DEV_GPU_UTIL" -> {
                    if (!uuid.isEmpty()) {
                        utilization.put(uuid, (int) Math.round(sample.value()));
                    }
                }
                case "DCGM_FI_DEV_FB_USED", "DCGM_FI_DEV_FB_FREE", "DCGM_FI_DEV_FB_RESERVED" -> {
                    if (uuid.isEmpty()) {
                        continue;
                    }
                    GpuMemory gpu = memory.computeIfAbsent(uuid, key -> new GpuMemory(sample));
                    long bytes = (long) sample.value() * MIB;
                    switch (sample.name()) {
                        case "DCGM_FI_DEV_FB_USED" -> gpu.usedBytes = bytes;
                        case "DCGM_FI_DEV_FB_FREE" -> gpu.freeBytes = bytes;
                        default -> gpu.reservedBytes = OptionalLong.of(bytes);
                    }
                    if (!sample.label("Hostname").isEmpty()) {
                        hostname = sample.label("Hostname");
                    }
                }
                default -> {}
            }
        }
        utilization.forEach((uuid, percent) -> {
            GpuMemory gpu = memory.get(uuid);
            if (gpu != null) {
                gpu.utilizationPercent = java.util.OptionalInt.of(percent);
            }
        });
        if (memory.isEmpty()) {
            return new ScrapeFailed(exporter, "it reports no GPU memory (no DCGM_FI_DEV_FB_FREE with a UUID label)");
        }
        List<Gpu> gpus = memory.entrySet().stream()
                .map(entry -> entry.getValue().gpu(entry.getKey()))
                .toList();
        return new Scraped(
                exporter,
                new GpuSnapshot(hostname, "exporter", clock.instant(), Optional.empty(), Optional.empty(), gpus),
                reserved);
    }

    private static String reason(Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof TimeoutException) {
            return "no answer within " + TIMEOUT.toSeconds() + " s";
        }
        String message = cause.getMessage() == null ? "" : ": " + cause.getMessage();
        return cause.getClass().getSimpleName() + message;
    }

    /** A body as UTF-8 text, refused beyond {@code maxBytes} so that a wrong URL cannot fill the heap. */
    private static final class LimitedText implements HttpResponse.BodySubscriber<String> {
        private final int maxBytes;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final CompletableFuture<String> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        LimitedText(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public void onSubscribe(Flow.Subscription newSubscription) {
            this.subscription = newSubscription;
            newSubscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                if (body.size() + buffer.remaining() > maxBytes) {
                    subscription.cancel();
                    result.completeExceptionally(
                            new IOException("the answer is larger than " + maxBytes / (1024 * 1024) + " MiB"));
                    return;
                }
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                body.writeBytes(bytes);
            }
        }

        @Override
        public void onError(Throwable failure) {
            result.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            result.complete(body.toString(StandardCharsets.UTF_8));
        }

        @Override
        public CompletionStage<String> getBody() {
            return result;
        }
    }

    /** One GPU's framebuffer as the samples come in. */
    private static final class GpuMemory {
        private final int index;
        private final String name;
        private final String pciBusId;
        private long usedBytes;
        private long freeBytes;
        private OptionalLong reservedBytes = OptionalLong.empty();
        private java.util.OptionalInt utilizationPercent = java.util.OptionalInt.empty();

        GpuMemory(Sample first) {
            this.index = index(first.label("gpu"));
            this.name = first.label("modelName");
            this.pciBusId = first.label("pci_bus_id");
        }

        Gpu gpu(String uuid) {
            long total = usedBytes + freeBytes + reservedBytes.orElse(0);
            Gpu basic = Gpu.basic(index, uuid, name, pciBusId, total, usedBytes, freeBytes);
            return new Gpu(
                    basic.index(),
                    basic.uuid(),
                    basic.name(),
                    basic.pciBusId(),
                    basic.memoryTotalBytes(),
                    basic.memoryUsedBytes(),
                    basic.memoryFreeBytes(),
                    reservedBytes,
                    utilizationPercent,
                    basic.memoryUtilizationPercent(),
                    basic.temperatureCelsius(),
                    basic.powerMilliwatts(),
                    basic.energyMillijoules(),
                    basic.smClockMhz(),
                    basic.memoryClockMhz(),
                    basic.migEnabled(),
                    basic.migDevices(),
                    basic.processes());
        }

        private static int index(String text) {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                return 0;
            }
        }
    }
}
