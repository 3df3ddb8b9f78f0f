package io.axle.cli.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.axle.cli.client.Download;
import io.axle.cli.client.ServerOptions;
import io.axle.cli.client.TrackingClient;
import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code axle registry export DIR}: a consistent snapshot of the registry, with every version's files. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Writes a consistent snapshot of the server's model registry into DIR while the server runs: every "
                    + "registered model with its versions, stages, aliases, tags and file digests in "
                    + "DIR/registry.json, and each READY version's files under DIR/models/<name>/<version>/, "
                    + "each checked against its SHA-256 as it is written.",
            "DIR must be new or empty. 'axle registry import DIR' loads it into another server."
        })
public final class ExportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "The directory to write (new or empty).")
    Path directory;

    @Mixin
    ServerOptions server;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        requireEmpty(directory);
        PrintWriter out = spec.commandLine().getOut();
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        try (TrackingClient client = server.client()) {
            JsonNode snapshot = client.get("/api/2.0/axle/registry/export", Map.of());
            SnapshotFiles.requireFormat(snapshot, Path.of(client.url()));
            long files = 0;
            long bytes = 0;
            int versions = 0;
            for (JsonNode model : snapshot.path("models")) {
                for (JsonNode version : model.path("versions")) {
                    if (!version.path("status").asText().equals("READY")) {
                        continue;
                    }
                    versions++;
                    Path target = SnapshotFiles.versionDirectory(
                            directory,
                            model.path("name").asText(),
                            version.path("version").asText());
                    String prefix = proxyPath(version.path("artifact_uri").asText());
                    for (JsonNode file : version.path("files")) {
                        String path = file.path("path").asText();
                        bytes += download(
                                client,
                                prefix + "/" + path,
                                SnapshotFiles.file(target, path),
                                file.path("sha256").asText());
                        files++;
                    }
                }
            }
            // written last, so a directory with registry.json holds a complete export
            Path temporary = directory.resolve(SnapshotFiles.SNAPSHOT + ".partial");
            mapper.writeValue(temporary.toFile(), snapshot);
            Files.move(temporary, directory.resolve(SnapshotFiles.SNAPSHOT), StandardCopyOption.ATOMIC_MOVE);
            out.printf(
                    "Exported %d models, %d versions, %d files (%s) from %s to %s (events up to #%d)%n",
                    snapshot.path("models").size(),
                    versions,
                    files,
                    Sizes.human(bytes),
                    client.url(),
                    directory,
                    snapshot.path("event_seq").asLong());
            return 0;
        }
    }

    private static String proxyPath(String artifactUri) {
        if (!artifactUri.startsWith("mlflow-artifacts:/")) {
            throw new AxleException(
                    ErrorCode.INVALID_STATE,
                    "The server keeps model files at '" + artifactUri + "', which it does not serve; export needs a "
                            + "server that proxies artifacts (axle server --serve-artifacts).");
        }
        return TrackingClient.ARTIFACT_PROXY + "/"
                + TrackingClient.encodePath(artifactUri.substring("mlflow-artifacts:/".length()));
    }

    private static long download(TrackingClient client, String path, Path file, String sha256) throws IOException {
        Files.createDirectories(file.getParent());
        MessageDigest digest = sha256();
        long size;
        try (Download download = client.download(path, Map.of());
                OutputStream output = new DigestOutputStream(Files.newOutputStream(file), digest)) {
            InputStream content = download.content();
            size = content.transferTo(output);
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(sha256)) {
            throw new AxleException(
                    ErrorCode.IO_ERROR,
                    "Downloaded " + file + " has SHA-256 " + actual + ", but the registry recorded " + sha256
                            + "; the export is incomplete.");
        }
        return size;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }

    private static void requireEmpty(Path directory) {
        try {
            if (Files.exists(directory)) {
                try (Stream<Path> entries = Files.list(directory)) {
                    if (entries.findAny().isPresent()) {
                        throw AxleException.invalidParameter(
                                directory + " is not empty; export into a new or empty directory.");
                    }
                }
            }
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
