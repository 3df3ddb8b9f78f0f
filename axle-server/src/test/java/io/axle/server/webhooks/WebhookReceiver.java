package io.axle.server.webhooks;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real webhook endpoint on 127.0.0.1 and a free port: it verifies each request's Standard Webhooks signature (and
 * MLflow's, when present) on its own, records what came, and answers from a script of responses (then 200).
 */
final class WebhookReceiver implements AutoCloseable {
    record Received(
            String webhookId,
            long timestamp,
            String body,
            boolean standardSignatureValid,
            Optional<String> mlflowDeliveryId,
            Optional<Boolean> mlflowSignatureValid,
            Map<String, List<String>> headers,
            long receivedAtMillis) {}

    record Answer(int status, Map<String, String> headers, Duration delay) {
        static Answer status(int status) {
            return new Answer(status, Map.of(), Duration.ZERO);
        }
    }

    private final HttpServer server;
    private final String secret;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private volatile Answer otherwise = Answer.status(200);

    WebhookReceiver(String secret) throws IOException {
        this.secret = secret;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    void answerNext(Answer... answers) {
        script.addAll(List.of(answers));
    }

    void answerOtherwise(Answer answer) {
        otherwise = answer;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** Waits up to {@code timeout} for the requests that {@code until} accepts; returns what came by then. */
    List<Received> await(Predicate<List<Received>> until, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Received> now = received();
            if (until.test(now)) {
                return now;
            }
            Thread.sleep(20);
        }
        return received();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readAllBytes();
        }
        String body = new String(bytes, UTF_8);
        var headers = exchange.getRequestHeaders();
        String id = headers.getFirst("webhook-id");
        long timestamp = Long.parseLong(headers.getFirst("webhook-timestamp"));
        String signatures =
                Optional.ofNullable(headers.getFirst("webhook-signature")).orElse("");
        boolean valid = false;
        for (String signature : signatures.split(" ")) {
            valid |=
                    constantTimeEquals(signature, "v1," + hmac(standardKey(secret), id + "." + timestamp + "." + body));
        }
        Optional<String> mlflowId = Optional.ofNullable(headers.getFirst("X-MLflow-Delivery-Id"));
        Optional<Boolean> mlflowValid = Optional.ofNullable(headers.getFirst("X-MLflow-Signature"))
                .map(signature -> constantTimeEquals(
                        signature,
                        "v1,"
                                + hmac(
                                        secret.getBytes(UTF_8),
                                        mlflowId.orElse("") + "." + headers.getFirst("X-MLflow-Timestamp") + "."
                                                + body)));
        received.add(new Received(
                id, timestamp, body, valid, mlflowId, mlflowValid, Map.copyOf(headers), System.currentTimeMillis()));
        Answer answer = Optional.ofNullable(script.poll()).orElse(otherwise);
        if (!answer.delay().isZero()) {
            try {
                Thread.sleep(answer.delay());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] reply = ("answer " + answer.status()).getBytes(UTF_8);
        exchange.sendResponseHeaders(answer.status(), reply.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply);
        } catch (IOException e) {
            // the sender gave up waiting
        }
    }

    /** The Standard Webhooks key: base64 after whsec_; any other secret as its bytes. */
    static byte[] standardKey(String secret) {
        return secret.startsWith("whsec_")
                ? Base64.getDecoder().decode(secret.substring("whsec_".length()))
                : secret.getBytes(UTF_8);
    }

    static String hmac(byte[] key, String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean constantTimeEquals(String left, String right) {
        return MessageDigest.isEqual(left.getBytes(UTF_8), right.getBytes(UTF_8));
    }

    static List<String> ids(List<Received> requests) {
        List<String> ids = new ArrayList<>();
        requests.forEach(request -> ids.add(request.webhookId()));
        return ids;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
