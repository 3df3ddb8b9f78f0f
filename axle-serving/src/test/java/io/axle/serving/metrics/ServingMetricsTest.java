package io.axle.serving.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ServingMetricsTest {
    private static final long MILLISECOND = 1_000_000L;

    @Test
    void rendersEverySeriesInTheTextFormat() throws IOException {
        ServingMetrics metrics = new ServingMetrics();
        metrics.requestDone("/invocations", 200, 3 * MILLISECOND);
        metrics.requestDone("/invocations", 200, 250 * MILLISECOND);
        metrics.requestDone("/invocations", 429, 0);
        metrics.requestDone("/v2/models/{name}/infer", 200, 12_000 * MILLISECOND);
        metrics.batchRun(1, 3, 500 * MILLISECOND);
        metrics.batchRun(5, 17, 2 * MILLISECOND);
        metrics.queueDepth(() -> 7);
        metrics.modelLoaded("fraud", "3", 1.5);
        metrics.modelLoaded("iris", "", 0.25);
        metrics.includeSeries(() -> "# HELP DCGM_FI_DEV_GPU_UTIL GPU utilization (in %).\n"
                + "# TYPE DCGM_FI_DEV_GPU_UTIL gauge\n"
                + "DCGM_FI_DEV_GPU_UTIL{gpu=\"0\"} 42");

        assertThat(metrics.render()).isEqualTo(golden("serving-metrics.prom"));
    }

    @Test
    void labelValuesAreEscaped() {
        ServingMetrics metrics = new ServingMetrics();

        metrics.modelLoaded("a \"quoted\" \\ name\nwith a newline", "1", 2);

        assertThat(metrics.render())
                .contains("axle_serving_model_load_seconds{model=\"a \\\"quoted\\\" \\\\ name\\nwith a newline\","
                        + "version=\"1\"} 2\n");
    }

    @Test
    void aValueOnABucketBoundCountsInThatBucket() {
        ServingMetrics metrics = new ServingMetrics();

        metrics.batchRun(2, 2, 0);

        assertThat(metrics.render())
                .contains("axle_serving_batch_size_bucket{le=\"1\"} 0\n")
                .contains("axle_serving_batch_size_bucket{le=\"2\"} 1\n")
                .contains("axle_serving_batch_size_bucket{le=\"+Inf\"} 1\n");
    }

    @Test
    void concurrentRecordingLosesNoObservation() throws Exception {
        ServingMetrics metrics = new ServingMetrics();
        int threads = 8;
        int perThread = 10_000;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>();
            for (int thread = 0; thread < threads; thread++) {
                done.add(pool.submit(() -> {
                    for (int request = 0; request < perThread; request++) {
                        metrics.requestDone("/invocations", 200, MILLISECOND);
                        metrics.batchRun(1, 2, MILLISECOND);
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        }
        long total = (long) threads * perThread;

        assertThat(metrics.render())
                .contains("axle_serving_requests_total{endpoint=\"/invocations\",status=\"200\"} " + total + "\n")
                .contains("axle_serving_request_duration_seconds_count{endpoint=\"/invocations\"} " + total + "\n")
                .contains("axle_serving_batch_rows_sum " + 2 * total + "\n");
        assertThat(metrics.batchTotals()).isEqualTo(new ServingMetrics.BatchTotals(total, total, 2 * total));
    }

    @Test
    void aLaterQueueDepthSourceReplacesTheEarlierOne() {
        ServingMetrics metrics = new ServingMetrics();
        metrics.queueDepth(() -> 3);

        metrics.queueDepth(() -> 9);

        assertThat(metrics.render()).contains("\naxle_serving_queue_depth 9\n");
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = ServingMetricsTest.class.getResourceAsStream(name)) {
            assertThat(in).as("golden file %s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
