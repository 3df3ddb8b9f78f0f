package io.axle.serving.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.serving.Model;
import io.axle.serving.ModelHandle;
import io.axle.serving.ServingConfig;
import io.axle.serving.metrics.ServingMetrics;
import io.axle.serving.openapi.OpenApiDocument;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model server's HTTP side on one port: MLflow's scoring protocol, the Open Inference Protocol v2,
 * {@code /openapi.json} and {@code /metrics}.
 */
public final class ServingServer implements AutoCloseable {
    /** Request bodies beyond this are answered 413. */
    public static final long MAX_REQUEST_BYTES = 64L * 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(ServingServer.class);
    // platform threads: ONNX Runtime runs inside JNI, which would pin a virtual thread's carrier for the whole run
    private static final int MAX_THREADS = 256;
    private static final long SHUTDOWN_IDLE_MILLIS = 50;

    private final Server server;
    private final int port;

    private ServingServer(Server server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts serving {@code handle}'s model; returns once the port is bound. */
    public static ServingServer start(ServingConfig config, ModelHandle handle, ServingMetrics metrics) {
        requireNonNull(config, "config is null");
        requireNonNull(handle, "handle is null");
        requireNonNull(metrics, "metrics is null");
        ObjectMapper json = new ObjectMapper();
        String version = version();
        Inference inference = new Inference(handle, config.requestTimeout());
        Router router = new Router(metrics, MAX_REQUEST_BYTES);
        new MlflowScoringRoutes(inference, json, version).register(router);
        new InferenceProtocolRoutes(inference, json, version).register(router);
        router.add("GET", "/openapi.json", ErrorStyle.MLFLOW, call -> openApi(inference.model()))
                .add(
                        "GET",
                        "/metrics",
                        ErrorStyle.MLFLOW,
                        call -> Reply.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.render()));

        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS);
        threads.setName("axle-serving");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        server.addConnector(connector);
        GracefulHandler graceful = new GracefulHandler(router);
        // on shutdown, a kept-alive connection without a request in flight closes after this, not Jetty's 1 s
        graceful.setShutdownIdleTimeout(SHUTDOWN_IDLE_MILLIS);
        server.setHandler(graceful);
        server.setErrorHandler(new JsonErrorHandler(json));
        server.setStopTimeout(config.shutdownGrace().toMillis());
        server.setStopAtShutdown(false);
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            throw new AxleException(
                    ErrorCode.IO_ERROR,
                    "cannot serve on " + config.host() + ":" + config.port() + ": " + e.getMessage(),
                    e);
        }
        Model model = handle.peek().model();
        log.info(
                "Serving model '{}'{} on http://{}:{}",
                model.name(),
                model.version().map(v -> " version " + v).orElse(""),
                config.host(),
                connector.getLocalPort());
        return new ServingServer(server, connector.getLocalPort());
    }

    /** The bound port (the real one when the config asked for 0). */
    public int port() {
        return port;
    }

    /** Blocks until the server stops. */
    public void join() {
        try {
            server.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops accepting, lets in-flight requests finish (up to the config's grace), then stops. */
    @Override
    public void close() {
        stopQuietly(server);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("Stopping the model server did not finish cleanly: {}", e.toString());
        }
    }

    private static Reply openApi(Model model) {
        return Reply.text(200, Reply.JSON, OpenApiDocument.render(model.name(), model.version(), model.signature()));
    }

    private static String version() {
        String version = ServingServer.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** Errors Jetty answers itself (a malformed request line, headers too large) are JSON too, not HTML. */
    private static final class JsonErrorHandler extends ErrorHandler {
        private final ObjectMapper json;

        JsonErrorHandler(ObjectMapper json) {
            this.json = json;
        }

        @Override
        protected void generateResponse(
                Request request, Response response, int status, String message, Throwable cause, Callback callback)
                throws java.io.IOException {
            String text = message == null || message.isBlank() ? "HTTP error " + status : message;
            byte[] body =
                    json.writeValueAsString(java.util.Map.of("error", text)).getBytes(StandardCharsets.UTF_8);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }
}
