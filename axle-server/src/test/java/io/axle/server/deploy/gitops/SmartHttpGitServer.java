package io.axle.server.deploy.gitops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.PreReceiveHook;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.RefAdvertiser;
import org.eclipse.jgit.transport.UploadPack;

/**
 * Git's smart HTTP protocol (version 0, stateless) for one bare repository, on the JDK's HTTP server, behind Basic
 * authentication: what a Git host does for a clone, fetch or push with a token, without one on the network.
 */
final class SmartHttpGitServer implements AutoCloseable {
    private final HttpServer server;
    private final BareRepository repository;
    private final String expectedAuthorization;
    private final AtomicReference<PreReceiveHook> preReceiveHook = new AtomicReference<>(PreReceiveHook.NULL);
    private final AtomicReference<String> lastUsername = new AtomicReference<>("");

    private SmartHttpGitServer(BareRepository repository, String username, String password) throws IOException {
        this.repository = repository;
        this.expectedAuthorization = "Basic "
                + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/gitops.git/", this::handle);
        server.start();
    }

    /** Serves {@code repository} at {@link #url()} to the one user name and password given. */
    static SmartHttpGitServer start(BareRepository repository, String username, String password) throws IOException {
        return new SmartHttpGitServer(repository, username, password);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/gitops.git";
    }

    /** The server refuses ref updates the way a Git host's branch protection does. */
    void protectBranches(String reason) {
        preReceiveHook.set((receivePack, commands) ->
                commands.forEach(command -> command.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, reason)));
    }

    /** The user name of the last request that authenticated. */
    String lastUsername() {
        return lastUsername.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = Optional.ofNullable(
                            exchange.getRequestHeaders().getFirst("Authorization"))
                    .orElse("");
            if (!authorization.equals(expectedAuthorization)) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            String credentials = new String(
                    Base64.getDecoder().decode(authorization.substring("Basic ".length())), StandardCharsets.UTF_8);
            lastUsername.set(credentials.substring(0, credentials.indexOf(':')));
            String path = exchange.getRequestURI().getPath();
            String query =
                    Optional.ofNullable(exchange.getRequestURI().getQuery()).orElse("");
            try (Repository git = new FileRepositoryBuilder()
                    .setGitDir(repository.directory().toFile())
                    .setMustExist(true)
                    .build()) {
                if (path.endsWith("/info/refs") && query.equals("service=git-upload-pack")) {
                    advertise(
                            exchange, "git-upload-pack", out -> uploadPack(git).sendAdvertisedRefs(out));
                } else if (path.endsWith("/info/refs") && query.equals("service=git-receive-pack")) {
                    advertise(
                            exchange,
                            "git-receive-pack",
                            out -> receivePack(git).sendAdvertisedRefs(out));
                } else if (path.endsWith("/git-upload-pack")) {
                    respond(
                            exchange,
                            "git-upload-pack",
                            (in, out) -> uploadPack(git).upload(in, out, null));
                } else if (path.endsWith("/git-receive-pack")) {
                    respond(
                            exchange,
                            "git-receive-pack",
                            (in, out) -> receivePack(git).receive(in, out, null));
                } else {
                    exchange.sendResponseHeaders(404, -1);
                }
            }
        }
    }

    private static UploadPack uploadPack(Repository git) {
        UploadPack uploadPack = new UploadPack(git);
        uploadPack.setBiDirectionalPipe(false);
        return uploadPack;
    }

    private ReceivePack receivePack(Repository git) {
        ReceivePack receivePack = new ReceivePack(git);
        receivePack.setBiDirectionalPipe(false);
        receivePack.setPreReceiveHook(preReceiveHook.get());
        return receivePack;
    }

    private interface Advertisement {
        void write(RefAdvertiser.PacketLineOutRefAdvertiser out) throws IOException;
    }

    private interface Exchange {
        void run(InputStream in, OutputStream out) throws IOException;
    }

    private static void advertise(HttpExchange exchange, String service, Advertisement advertisement)
            throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/x-" + service + "-advertisement");
        exchange.getResponseHeaders().add("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream body = exchange.getResponseBody()) {
            PacketLineOut lines = new PacketLineOut(body);
            lines.writeString("# service=" + service + "\n");
            lines.end();
            advertisement.write(new RefAdvertiser.PacketLineOutRefAdvertiser(lines));
        }
    }

    private static void respond(HttpExchange exchange, String service, Exchange work) throws IOException {
        InputStream in = exchange.getRequestBody();
        if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            in = new GZIPInputStream(in);
        }
        exchange.getResponseHeaders().add("Content-Type", "application/x-" + service + "-result");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream body = exchange.getResponseBody()) {
            work.run(in, body);
        }
    }
}
