package io.axle.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.FutureTask;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The ceiling the model server is held against: a bare Jetty core handler on the same Jetty, thread pool size and
 * ONNX Runtime as {@code ServingServer}, that reads an Open Inference Protocol v2 body with one FP32 input, runs the
 * session once and writes {@code {"outputs":[...]}}. Nothing else: no routing, validation, metrics or batching.
 */
final class CeilingServer implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    // as ServingServer
    private static final int MAX_THREADS = 256;

    private final Server server;
    private final OrtSession session;
    private final int port;

    private CeilingServer(Server server, OrtSession session, int port) {
        this.server = server;
        this.session = session;
        this.port = port;
    }

    /** Opens {@code onnxFile} with ONNX Runtime's default session options (as Axle's CPU load does) and serves it. */
    static CeilingServer start(Path onnxFile) throws Exception {
        OrtSession session = open(onnxFile);
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        String inputName = session.getInputNames().iterator().next();
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS);
        threads.setName("bench-ceiling");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new InferHandler(environment, session, inputName));
        server.start();
        return new CeilingServer(server, session, connector.getLocalPort());
    }

    /**
     * Creating a session overflows a thread's default 1 MiB stack, which kills the process with SIGSEGV: it runs on a
     * thread with a 16 MiB stack, as Axle's {@code ModelLoader} does.
     */
    private static OrtSession open(Path onnxFile) throws Exception {
        FutureTask<OrtSession> task = new FutureTask<>(() -> {
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                return OrtEnvironment.getEnvironment().createSession(onnxFile.toString(), options);
            }
        });
        Thread.ofPlatform().name("bench-ceiling-load").stackSize(16L << 20).start(task);
        return task.get();
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        server.stop();
        session.close();
    }

    private static final class InferHandler extends Handler.Abstract {
        private final OrtEnvironment environment;
        private final OrtSession session;
        private final String inputName;

        InferHandler(OrtEnvironment environment, OrtSession session, String inputName) {
            super(InvocationType.BLOCKING);
            this.environment = environment;
            this.session = session;
            this.inputName = inputName;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            JsonNode input;
            try (InputStream body = Content.Source.asInputStream(request)) {
                input = MAPPER.readTree(body).path("inputs").path(0);
            }
            JsonNode shapeNode = input.path("shape");
            long[] shape = new long[shapeNode.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeNode.get(i).asLong();
            }
            JsonNode dataNode = input.path("data");
            float[] data = new float[dataNode.size()];
            for (int i = 0; i < data.length; i++) {
                data[i] = dataNode.get(i).floatValue();
            }
            byte[] reply = run(shape, data);
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.length);
            response.write(true, ByteBuffer.wrap(reply), callback);
            return true;
        }

        private byte[] run(long[] shape, float[] data) throws OrtException, IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            try (OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(data), shape);
                    OrtSession.Result result = session.run(Map.of(inputName, tensor));
                    JsonGenerator out = MAPPER.createGenerator(bytes)) {
                out.writeStartObject();
                out.writeArrayFieldStart("outputs");
                for (Map.Entry<String, ai.onnxruntime.OnnxValue> output : result) {
                    OnnxTensor value = (OnnxTensor) output.getValue();
                    out.writeStartObject();
                    out.writeStringField("name", output.getKey());
                    out.writeFieldName("shape");
                    long[] outputShape = value.getInfo().getShape();
                    out.writeArray(outputShape, 0, outputShape.length);
                    out.writeStringField("datatype", "FP32");
                    out.writeArrayFieldStart("data");
                    FloatBuffer values = value.getFloatBuffer();
                    while (values.hasRemaining()) {
                        out.writeNumber(values.get());
                    }
                    out.writeEndArray();
                    out.writeEndObject();
                }
                out.writeEndArray();
                out.writeEndObject();
            }
            return bytes.toByteArray();
        }
    }
}
