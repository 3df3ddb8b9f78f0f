package io.axle.gpu.metrics;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.axle.gpu.GpuSnapshot;
import io.axle.gpu.GpuSource;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A Prometheus exporter for this node's GPUs on the JDK's HTTP server: {@code GET /metrics} answers
 * {@link DcgmMetrics} for a fresh snapshot, {@code GET /} a short index; other paths are 404, other methods 405.
 *
 * <p>When the GPU source fails, {@code /metrics} still answers 200 with {@code axle_gpu_up 0} and the
 * {@code axle_gpu_scrape_errors_total} counter, the convention Prometheus' exporter guidelines recommend: Prometheus'
 * own {@code up} then stays about reaching the exporter, and an alert on {@code axle_gpu_up == 0} says the driver or
 * device is the problem. The failure itself is logged, once per failed scrape.
 */
public final class GpuExporter implements AutoCloseable {
    static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final System.Logger LOG = System.getLogger(GpuExporter.class.getName());

    private final GpuSource source;
    private final Supplier<List<ReservedMemory>> reservations;
    private final long minIntervalNanos;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Object scrapeLock = new Object();
    private long failedScrapes;
    private Optional<GpuSnapshot> cached = Optional.empty();
    private long cachedAtNanos;

    private GpuExporter(GpuExporterConfig config, GpuSource source, Supplier<List<ReservedMemory>> reservations) {
        this.source = requireNonNull(source, "source is null");
        this.reservations = requireNonNull(reservations, "reservations is null");
        this.minIntervalNanos = config.minInterval().toNanos();
        try {
            this.server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", this::route);
    }

    /** Starts listening; {@link #close()} stops. The source stays the caller's to close. */
    public static GpuExporter start(
            GpuExporterConfig config, GpuSource source, Supplier<List<ReservedMemory>> reservations) {
        GpuExporter exporter = new GpuExporter(config, source, reservations);
        exporter.server.start();
        return exporter;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The metrics URL, with the address bound ({@code 0.0.0.0} when listening everywhere). */
    public URI metricsUrl() {
        InetSocketAddress address = server.getAddress();
        String host = address.getAddress().getHostAddress();
        return URI.create(
                "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort() + "/metrics");
    }

    /** One scrape's body: the GPUs' metrics when the source answers, and the scrape's health either way. */
    String scrape() {
        synchronized (scrapeLock) {
            Optional<GpuSnapshot> snapshot = snapshot();
            if (snapshot.isEmpty()) {
                return DcgmMetrics.scrapeHealth(false, failedScrapes);
            }
            return DcgmMetrics.render(snapshot.get(), reservations.get())
                    + DcgmMetrics.scrapeHealth(true, failedScrapes);
        }
    }

    private Optional<GpuSnapshot> snapshot() {
        long now = System.nanoTime();
        if (cached.isPresent() && minIntervalNanos > 0 && now - cachedAtNanos < minIntervalNanos) {
            return cached;
        }
        try {
            cached = Optional.of(source.snapshot());
            cachedAtNanos = now;
            return cached;
        } catch (RuntimeException e) {
            // any failure of the source (no driver, NVML error, unreadable snapshot file) is a failed scrape, not
            // a failed exporter: the next scrape tries again
            failedScrapes++;
            cached = Optional.empty();
            LOG.log(System.Logger.Level.WARNING, "GPU scrape failed: " + e.getMessage());
            return Optional.empty();
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/metrics") && !path.equals("/")) {
                send(exchange, 404, "text/plain; charset=utf-8", "Not found: " + path + " (metrics are at /metrics)\n");
            } else if (!exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET");
                send(exchange, 405, "text/plain; charset=utf-8", "Method not allowed: use GET\n");
            } else if (path.equals("/metrics")) {
                send(exchange, 200, METRICS_CONTENT_TYPE, scrape());
            } else {
                send(exchange, 200, "text/html; charset=utf-8", index());
            }
        }
    }

    private static String index() {
        return """
                <!DOCTYPE html>
                <html><head><title>Axle GPU exporter</title></head>
                <body><h1>Axle GPU exporter</h1>
                <p>GPU metrics under NVIDIA dcgm-exporter's names: <a href="/metrics">/metrics</a></p>
                </body></html>
                """;
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
