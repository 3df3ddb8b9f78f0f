package io.axle.serving.http;

import static io.axle.serving.http.RunningServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.serving.LoadOptions;
import io.axle.serving.Model;
import io.axle.serving.Predictor;
import io.axle.serving.ServedModel;
import io.axle.serving.Tensor;
import io.axle.serving.model.ModelLoader;
import io.axle.serving.testing.OnnxModels;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingServerTest {
    @TempDir
    Path temp;

    private Model logistic(String name, int features) {
        return ModelLoader.load(
                OnnxModels.writeMlflowModel(temp.resolve(name), OnnxModels.logistic(features)), LoadOptions.cpu());
    }

    @Test
    void openApiAndMetricsAreServed() {
        try (RunningServer server =
                RunningServer.serving(logistic("churn", 2), Predictor::direct, Duration.ofSeconds(5))) {
            HttpResponse<String> openApi = server.get("/openapi.json");
            HttpResponse<String> metrics = server.get("/metrics");

            assertThat(openApi.statusCode()).isEqualTo(200);
            assertThat(openApi.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
            assertThat(json(openApi).path("openapi").asText()).startsWith("3.");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
        }
    }

    @Test
    void anUnknownPathIsAnMlflowStyle404() {
        try (RunningServer server =
                RunningServer.serving(logistic("churn", 2), Predictor::direct, Duration.ofSeconds(5))) {
            HttpResponse<String> response = server.get("/nowhere");

            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(json(response).path("error_code").asText()).isEqualTo("ENDPOINT_NOT_FOUND");
        }
    }

    @Test
    void aSwappedModelAnswersFromTheNextRequestOnAndPingStaysUp() {
        try (RunningServer server =
                RunningServer.serving(logistic("churn", 2), Predictor::direct, Duration.ofSeconds(5))) {
            assertThat(server.get("/ping").statusCode()).isEqualTo(200);
            assertThat(json(server.get("/v2/models/churn"))
                            .path("inputs")
                            .get(0)
                            .path("shape")
                            .toString())
                    .isEqualTo("[-1,2]");

            Model next = logistic("churn", 3);
            server.handle().swap(new ServedModel(next, Predictor.direct(next)));

            assertThat(server.get("/ping").statusCode()).isEqualTo(200);
            assertThat(json(server.get("/v2/models/churn"))
                            .path("inputs")
                            .get(0)
                            .path("shape")
                            .toString())
                    .isEqualTo("[-1,3]");
            HttpResponse<String> response = server.postJson("/invocations", "{\"inputs\": [[1, 1, 1]]}");
            assertThat(json(response).path("predictions").get(0).get(0).asDouble())
                    .isCloseTo(OnnxModels.logisticExpected(1, 1, 1), within(1e-6));
        }
    }

    @Test
    void aClosedServerRefusesConnections() {
        RunningServer server = RunningServer.serving(logistic("churn", 2), Predictor::direct, Duration.ofSeconds(5));
        assertThat(server.get("/ping").statusCode()).isEqualTo(200);

        server.close();

        assertThatThrownBy(() -> server.get("/ping")).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void aPredictionNotAnsweredInTimeIs504() {
        Predictor never = new NeverAnsweringPredictor();
        try (RunningServer server =
                RunningServer.serving(logistic("slow", 2), model -> never, Duration.ofMillis(200))) {
            HttpResponse<String> mlflow = server.postJson("/invocations", "{\"inputs\": [[1, 1]]}");
            HttpResponse<String> oip = server.postJson("/v2/models/slow/infer", """
                    {"inputs": [{"name": "X", "shape": [1, 2], "datatype": "FP32", "data": [1, 1]}]}""");

            assertThat(mlflow.statusCode()).isEqualTo(504);
            assertThat(json(mlflow).path("error_code").asText()).isEqualTo("DEADLINE_EXCEEDED");
            assertThat(oip.statusCode()).isEqualTo(504);
            assertThat(json(oip).path("error").asText()).isEqualTo("model 'slow' did not answer within 200 ms");
        }
    }

    @Test
    void aFullQueueIs429WithRetryAfter() {
        Predictor full = new FailingPredictor(new AxleException(ErrorCode.REQUEST_LIMIT_EXCEEDED, "queue is full"));
        try (RunningServer server = RunningServer.serving(logistic("busy", 2), model -> full, Duration.ofSeconds(5))) {
            HttpResponse<String> response = server.postJson("/invocations", "{\"inputs\": [[1, 1]]}");

            assertThat(response.statusCode()).isEqualTo(429);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(json(response).path("error_code").asText()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
        }
    }

    @Test
    void aFailureThatIsNotTheCallersIs500WithoutAStackTrace() {
        Predictor broken = new FailingPredictor(new IllegalStateException("session gone"));
        try (RunningServer server =
                RunningServer.serving(logistic("broken", 2), model -> broken, Duration.ofSeconds(5))) {
            HttpResponse<String> response = server.postJson("/invocations", "{\"inputs\": [[1, 1]]}");

            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(json(response).path("error_code").asText()).isEqualTo("INTERNAL_ERROR");
            assertThat(response.body()).doesNotContain("\tat ").doesNotContain("stack_trace");
        }
    }

    @Test
    void aBodyOver64MibIs413() {
        try (RunningServer server =
                RunningServer.serving(logistic("churn", 2), Predictor::direct, Duration.ofSeconds(5))) {
            byte[] huge = new byte[(int) ServingServer.MAX_REQUEST_BYTES + 1];
            java.util.Arrays.fill(huge, (byte) ' ');
            HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("/invocations"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(huge))
                    .build());

            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(json(response).path("error_code").asText()).isEqualTo("REQUEST_TOO_LARGE");
        }
    }

    @Test
    void closingWaitsForARequestInFlight() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Predictor slow = new DelayedPredictor(started, 300);
        Model model = logistic("slow", 2);
        RunningServer delayed = RunningServer.serving(model, unused -> slow, Duration.ofSeconds(5));
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<HttpResponse<String>> inFlight =
                    executor.submit(() -> delayed.postJson("/invocations", "{\"inputs\": [[1, 1]]}"));
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

            delayed.close();

            assertThat(inFlight.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void concurrentRequestsAllGetTheirOwnAnswers() throws Exception {
        try (RunningServer server =
                RunningServer.serving(logistic("churn", 2), Predictor::direct, Duration.ofSeconds(10))) {
            ExecutorService executor = Executors.newFixedThreadPool(8);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    float value = i / 10f;
                    results.add(executor.submit(() -> {
                        HttpResponse<String> response = value % 2 == 0
                                ? server.postJson("/invocations", "{\"inputs\": [[" + value + ", 1]]}")
                                : server.postJson("/v2/models/churn/infer", """
                                                {"inputs": [{"name": "X", "shape": [1, 2], "datatype": "FP32",
                                                 "data": [%s, 1]}]}""".formatted(value));
                        double answer = response.body().contains("predictions")
                                ? json(response)
                                        .path("predictions")
                                        .get(0)
                                        .get(0)
                                        .asDouble()
                                : json(response)
                                        .path("outputs")
                                        .get(0)
                                        .path("data")
                                        .get(0)
                                        .asDouble();
                        return response.statusCode() == 200
                                && Math.abs(answer - OnnxModels.logisticExpected(value, 1)) < 1e-6;
                    }));
                }
                for (Future<Boolean> result : results) {
                    assertThat(result.get(30, TimeUnit.SECONDS)).isTrue();
                }
            } finally {
                executor.shutdownNow();
            }
        }
    }

    /** A predictor whose answers never come: the server's timeout must. */
    private static final class NeverAnsweringPredictor implements Predictor {
        @Override
        public CompletableFuture<Map<String, Tensor>> predict(Map<String, Tensor> inputs) {
            return new CompletableFuture<>();
        }

        @Override
        public void close() {}
    }

    private static final class FailingPredictor implements Predictor {
        private final RuntimeException failure;

        FailingPredictor(RuntimeException failure) {
            this.failure = failure;
        }

        @Override
        public CompletableFuture<Map<String, Tensor>> predict(Map<String, Tensor> inputs) {
            return CompletableFuture.failedFuture(failure);
        }

        @Override
        public void close() {}
    }

    /** Answers a fixed output after a delay, signalling when a request has arrived. */
    private static final class DelayedPredictor implements Predictor {
        private final CountDownLatch started;
        private final long delayMillis;

        DelayedPredictor(CountDownLatch started, long delayMillis) {
            this.started = started;
            this.delayMillis = delayMillis;
        }

        @Override
        public CompletableFuture<Map<String, Tensor>> predict(Map<String, Tensor> inputs) {
            started.countDown();
            return CompletableFuture.supplyAsync(
                    () -> Map.of(
                            "Y", new Tensor("Y", io.axle.serving.DataType.FP32, new long[] {1, 1}, new float[] {0.5f})),
                    CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS));
        }

        @Override
        public void close() {}
    }
}
