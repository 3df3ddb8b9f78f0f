package io.axle.serving.metrics;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The server's Prometheus metrics: requests by endpoint and status, a latency histogram, a batch-size histogram, queue
 * depth, model load time, and the GPU series of the device in use. Thread-safe; recording is lock-free and
 * {@link #render()} writes the text exposition format 0.0.4.
 */
public final class ServingMetrics {
    private static final double[] SECONDS_BUCKETS = {
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
    };
    private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

    private final Map<RequestKey, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> requestSeconds = new ConcurrentHashMap<>();
    private final Histogram batchRequests = new Histogram(BATCH_BUCKETS);
    private final Histogram batchRows = new Histogram(BATCH_BUCKETS);
    private final Histogram batchSeconds = new Histogram(SECONDS_BUCKETS);
    private final LongAdder runs = new LongAdder();
    private final LongAdder batchedRequests = new LongAdder();
    private final LongAdder batchedRows = new LongAdder();
    private volatile IntSupplier queueDepth = () -> 0;
    private final Map<ModelKey, Double> loadSeconds = new ConcurrentHashMap<>();
    private final List<Supplier<String>> extraSeries = new CopyOnWriteArrayList<>();

    public ServingMetrics() {}

    /** One HTTP request answered: {@code endpoint} is the route template ({@code /v2/models/{name}/infer}). */
    public void requestDone(String endpoint, int status, long nanos) {
        requireNonNull(endpoint, "endpoint is null");
        requests.computeIfAbsent(new RequestKey(endpoint, status), key -> new LongAdder())
                .increment();
        requestSeconds
                .computeIfAbsent(endpoint, key -> new Histogram(SECONDS_BUCKETS))
                .observe(nanos / 1e9);
    }

    /** One {@code session.run} over {@code requests} requests' {@code rows} rows. */
    public void batchRun(int requests, long rows, long nanos) {
        batchRequests.observe(requests);
        batchRows.observe(rows);
        batchSeconds.observe(nanos / 1e9);
        runs.increment();
        batchedRequests.add(requests);
        batchedRows.add(rows);
    }

    /** Where the batcher's queue depth is read at scrape time; a later call (a swapped model's batcher) replaces it. */
    public void queueDepth(IntSupplier depth) {
        this.queueDepth = requireNonNull(depth, "depth is null");
    }

    /** A model finished loading; {@code version} is empty for a model served from a directory. */
    public void modelLoaded(String name, String version, double seconds) {
        loadSeconds.put(new ModelKey(name, version), seconds);
    }

    /**
     * Series written after Axle's own at every scrape, already in the text format: the GPU series of the device in use
     * ({@code axle-gpu}'s {@code DcgmMetrics}), say.
     */
    public void includeSeries(Supplier<String> exposition) {
        extraSeries.add(requireNonNull(exposition, "exposition is null"));
    }

    /** Model runs and what they carried since start, for reports that do not parse the exposition. */
    public BatchTotals batchTotals() {
        return new BatchTotals(runs.sum(), batchedRequests.sum(), batchedRows.sum());
    }

    /** The Prometheus text exposition (format 0.0.4). */
    public String render() {
        StringBuilder out = new StringBuilder(4096);
        Exposition.header(
                out, "axle_serving_requests_total", "counter", "HTTP requests answered, by route and status.");
        requests.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(
                        Comparator.comparing(RequestKey::endpoint).thenComparingInt(RequestKey::status)))
                .forEach(entry -> out.append("axle_serving_requests_total{")
                        .append(Exposition.labels(
                                "endpoint",
                                entry.getKey().endpoint(),
                                "status",
                                Integer.toString(entry.getKey().status())))
                        .append("} ")
                        .append(entry.getValue().sum())
                        .append('\n'));

        Exposition.header(
                out,
                "axle_serving_request_duration_seconds",
                "histogram",
                "Time from a request's arrival to its answer, by route.");
        requestSeconds.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(entry -> entry.getValue()
                        .write(
                                out,
                                "axle_serving_request_duration_seconds",
                                Exposition.labels("endpoint", entry.getKey())));

        Exposition.header(out, "axle_serving_batch_size", "histogram", "Requests merged into one model run.");
        batchRequests.write(out, "axle_serving_batch_size", "");
        Exposition.header(out, "axle_serving_batch_rows", "histogram", "Rows (first dimension) of one model run.");
        batchRows.write(out, "axle_serving_batch_rows", "");
        Exposition.header(out, "axle_serving_batch_duration_seconds", "histogram", "Time the model took for one run.");
        batchSeconds.write(out, "axle_serving_batch_duration_seconds", "");

        Exposition.header(out, "axle_serving_queue_depth", "gauge", "Requests waiting for a model run.");
        out.append("axle_serving_queue_depth ").append(queueDepth.getAsInt()).append('\n');

        Exposition.header(out, "axle_serving_model_load_seconds", "gauge", "Time it took to load the model.");
        loadSeconds.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(
                        Comparator.comparing(ModelKey::model).thenComparing(ModelKey::version)))
                .forEach(entry -> out.append("axle_serving_model_load_seconds{")
                        .append(Exposition.labels(
                                "model",
                                entry.getKey().model(),
                                "version",
                                entry.getKey().version()))
                        .append("} ")
                        .append(Exposition.number(entry.getValue()))
                        .append('\n'));

        for (Supplier<String> series : extraSeries) {
            String text = series.get();
            out.append(text);
            if (!text.isEmpty() && !text.endsWith("\n")) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    /**
     * Totals over all model runs.
     *
     * @param runs {@code session.run} calls
     * @param requests requests they answered (a request retried alone after a failed batch counts twice)
     * @param rows rows they carried
     */
    public record BatchTotals(long runs, long requests, long rows) {}

    private record RequestKey(String endpoint, int status) {}

    private record ModelKey(String model, String version) {
        ModelKey {
            requireNonNull(model, "model is null");
            requireNonNull(version, "version is null");
        }
    }
}
