package io.axle.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.gpu.GpuUnavailableException;
import io.axle.gpu.nvml.NvmlSource;
import io.axle.gpu.reservation.Reservation;
import io.axle.gpu.reservation.ReservationLedger;
import io.axle.gpu.testing.StubNvml;
import io.axle.serving.ServingConfig;
import io.axle.serving.batch.BatchingConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code axle serve models:/adder@champion --watch --report-footprint} from download to hot swap, over HTTP. */
final class ServeEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path directory;

    private final List<String> log = new CopyOnWriteArrayList<>();

    @Test
    void aServedAliasAnswersInferenceRecordsItsFootprintAndSwapsToTheNextVersionWithoutAFailedRequest()
            throws Exception {
        try (ServedRegistry registry = ServedRegistry.start(directory.resolve("server"))) {
            registry.register("adder", ServedRegistry.modelFiles(AddingOnnxModel.adding(1)));
            registry.register("adder", ServedRegistry.modelFiles(AddingOnnxModel.adding(2)));
            registry.setAlias("adder", "champion", "1");
            ServeSettings settings = new ServeSettings(
                    new ModelSource.Remote("models:/adder@champion"),
                    Optional.empty(),
                    new DeviceRequest.Auto(),
                    OptionalLong.empty(),
                    1,
                    new ServingConfig("127.0.0.1", 0, Duration.ofSeconds(30), Duration.ofSeconds(5)),
                    Optional.of(new BatchingConfig(8, Duration.ofMillis(2), 256)),
                    Optional.of(Duration.ofMillis(50)),
                    true,
                    directory.resolve("cache"));

            try (ServeSession session = start(settings, registry)) {
                assertThat(log).anySatisfy(line -> assertThat(line).startsWith("device: cpu, because no GPU"));
                assertThat(log)
                        .anySatisfy(line -> assertThat(line)
                                .startsWith("serving adder version 1")
                                .endsWith(" at " + session.url()));
                assertThat(infer(session, 1f, 2f)).containsExactly(2f, 3f);
                assertThat(registry.tags("adder", "1")).containsKey("axle.memory_bytes");
                assertThat(post(session.url() + "/invocations", "{\"inputs\": {\"x\": [[1.0, 2.0]]}}")
                                .statusCode())
                        .isEqualTo(200);

                List<Integer> failures = new CopyOnWriteArrayList<>();
                AtomicBoolean sending = new AtomicBoolean(true);
                Thread load = Thread.ofPlatform().start(() -> {
                    while (sending.get()) {
                        int status = post(session.url() + "/v2/models/adder/infer", request(1f, 2f))
                                .statusCode();
                        if (status != 200) {
                            failures.add(status);
                        }
                    }
                });
                registry.setAlias("adder", "champion", "2");
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (infer(session, 1f, 2f).equals(List.of(2f, 3f)) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                sending.set(false);
                load.join();

                assertThat(infer(session, 1f, 2f)).containsExactly(3f, 4f);
                assertThat(failures)
                        .as("requests answered other than 200 during the swap")
                        .isEmpty();
                assertThat(log).contains("now serving adder version 2 (was version 1)");
                assertThat(registry.tags("adder", "2")).containsKey("axle.memory_bytes");
            }
        }
    }

    @Test
    void autoOnANodeWithGpusReservesTheChosenOneAndExportsItsSeries() throws Exception {
        Path model = directory.resolve("adder-model");
        for (Map.Entry<String, byte[]> file :
                ServedRegistry.modelFiles(AddingOnnxModel.adding(1)).entrySet()) {
            Files.createDirectories(model.resolve(file.getKey()).getParent());
            Files.write(model.resolve(file.getKey()), file.getValue());
        }
        Path state = directory.resolve("gpu-state");
        ServeSettings settings = new ServeSettings(
                new ModelSource.LocalDirectory(model),
                Optional.of("adder"),
                new DeviceRequest.Auto(),
                OptionalLong.empty(),
                1,
                new ServingConfig("127.0.0.1", 0, Duration.ofSeconds(30), Duration.ofSeconds(5)),
                Optional.of(new BatchingConfig(8, Duration.ofMillis(2), 256)),
                Optional.empty(),
                false,
                directory.resolve("cache"));

        try (NvmlSource nvml = NvmlSource.open(StubNvml.build(Files.createDirectories(directory.resolve("nvml"))));
                ServeSession session = ServeSession.start(
                        settings,
                        () -> {
                            throw new AssertionError("a local model needs no tracking server");
                        },
                        nvml::snapshot,
                        Map.of("AXLE_GPU_STATE_DIR", state.toString(), "CUDA_DEVICE_ORDER", "PCI_BUS_ID"),
                        log::add)) {
            List<Reservation> held = ReservationLedger.open(state).active();
            assertThat(held).hasSize(1);
            String uuid = held.getFirst().gpuUuid();
            assertThat(log).anySatisfy(line -> assertThat(line).startsWith("device: " + uuid));
            // this build of ONNX Runtime has no CUDA provider: the session falls back to the CPU and still answers
            assertThat(infer(session, 1f, 2f)).containsExactly(2f, 3f);
            HttpResponse<String> metrics = HTTP.send(
                    HttpRequest.newBuilder(URI.create(session.url() + "/metrics"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body())
                    .contains("axle_serving_requests_total")
                    .contains("DCGM_FI_DEV_FB_USED{gpu=")
                    .contains("UUID=\"" + uuid + "\"");
        }
    }

    private ServeSession start(ServeSettings settings, ServedRegistry registry) {
        return ServeSession.start(
                settings,
                registry::trackingClient,
                () -> {
                    throw new GpuUnavailableException("this test serves on the CPU");
                },
                Map.of(),
                log::add);
    }

    private static List<Float> infer(ServeSession session, float first, float second) throws IOException {
        HttpResponse<String> response = post(session.url() + "/v2/models/adder/infer", request(first, second));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode data = JSON.readTree(response.body()).path("outputs").path(0).path("data");
        return List.of((float) data.path(0).asDouble(), (float) data.path(1).asDouble());
    }

    private static String request(float first, float second) {
        return "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 2], \"datatype\": \"FP32\", \"data\": [" + first + ", "
                + second + "]}]}";
    }

    private static HttpResponse<String> post(String url, String body) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
