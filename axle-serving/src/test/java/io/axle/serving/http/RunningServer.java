package io.axle.serving.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.serving.LoadOptions;
import io.axle.serving.Model;
import io.axle.serving.ModelHandle;
import io.axle.serving.Predictor;
import io.axle.serving.ServedModel;
import io.axle.serving.ServingConfig;
import io.axle.serving.metrics.ServingMetrics;
import io.axle.serving.model.ModelLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/** A real {@link ServingServer} on a free port with a real HTTP client, for tests. */
final class RunningServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelHandle handle;
    private final ServingServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    private RunningServer(ModelHandle handle, ServingConfig config) {
        this.handle = handle;
        this.server = ServingServer.start(config, handle, new ServingMetrics());
    }

    /** Serves the MLflow model directory {@code directory}, each request run directly. */
    static RunningServer serving(Path directory) {
        return serving(ModelLoader.load(directory, LoadOptions.cpu()), Predictor::direct, Duration.ofSeconds(10));
    }

    static RunningServer serving(Model model, Function<Model, Predictor> predictor, Duration requestTimeout) {
        ServingConfig config = new ServingConfig("127.0.0.1", 0, requestTimeout, Duration.ofSeconds(5));
        return new RunningServer(new ModelHandle(new ServedModel(model, predictor.apply(model))), config);
    }

    ModelHandle handle() {
        return handle;
    }

    ServingServer server() {
        return server;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    HttpResponse<String> post(String path, String contentType, String body) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    HttpResponse<String> postJson(String path, String body) {
        return post(path, "application/json", body);
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        handle.close();
    }
}
