package io.axle.storage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay in front of the S3 test server that answers the first connections itself with S3's throttling
 * answer (503 SlowDown) and relays every later one, byte for byte, to the server: S3 throttling on demand.
 */
final class ThrottlingRelay implements AutoCloseable {
    private static final String SLOW_DOWN_BODY =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
                    + "<Message>Please reduce your request rate.</Message></Error>";

    private final URI target;
    private final ServerSocket listener;
    private final AtomicInteger throttlesLeft;
    private final AtomicInteger connections = new AtomicInteger();

    ThrottlingRelay(URI target, int throttledConnections) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.throttlesLeft = new AtomicInteger(throttledConnections);
        Thread.ofVirtual().name("throttling-relay").start(this::acceptConnections);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    int connections() {
        return connections.get();
    }

    private void acceptConnections() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                connections.incrementAndGet();
                boolean throttle = throttlesLeft.getAndDecrement() > 0;
                Thread.ofVirtual().start(() -> serve(client, throttle));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client, boolean throttle) {
        try (client) {
            if (throttle) {
                readRequestHead(client.getInputStream());
                byte[] body = SLOW_DOWN_BODY.getBytes(StandardCharsets.UTF_8);
                client.getOutputStream()
                        .write(("HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: "
                                        + body.length + "\r\nConnection: close\r\n\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1));
                client.getOutputStream().write(body);
                client.getOutputStream().flush();
                return;
            }
            try (Socket upstream = new Socket(target.getHost(), target.getPort())) {
                Thread toServer = Thread.ofVirtual().start(() -> relay(client, upstream));
                relay(upstream, client);
                toServer.join();
            }
        } catch (IOException e) {
            // a client or the server hung up: nothing to relay any more
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void relay(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            in.transferTo(out);
            to.shutdownOutput();
        } catch (IOException e) {
            // the other side closed
        }
    }

    private static void readRequestHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                return;
            }
            head.write(next);
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
