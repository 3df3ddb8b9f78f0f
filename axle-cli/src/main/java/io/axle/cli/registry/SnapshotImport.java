package io.axle.cli.registry;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.cli.client.TrackingClient;
import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Loads a registry export into a server: for each model the server does not have yet, uploads the files of its
 * READY versions to a staging place through the artifact proxy, then asks the server to import the model, which
 * copies the files into registry storage and checks them against the snapshot's digests. Models already there are
 * skipped, so running the import again after an interruption finishes the job.
 */
public final class SnapshotImport {
    private final TrackingClient target;
    private final Path directory;
    private final PrintWriter out;
    private final ObjectMapper mapper = new ObjectMapper();

    public SnapshotImport(TrackingClient target, Path directory, PrintWriter out) {
        this.target = requireNonNull(target, "target is null");
        this.directory = requireNonNull(directory, "directory is null");
        this.out = requireNonNull(out, "out is null");
    }

    /** Imports every model; returns the exit code (0 when every model was imported or already there). */
    public int run() {
        JsonNode snapshot = read(directory.resolve(SnapshotFiles.SNAPSHOT));
        SnapshotFiles.requireFormat(snapshot, directory);
        int imported = 0;
        int versions = 0;
        long bytes = 0;
        List<String> skipped = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (JsonNode model : snapshot.path("models")) {
            String name = model.path("name").asText();
            if (exists(name)) {
                skipped.add(name + " (already on the server)");
                continue;
            }
            try {
                ObjectNode body = model.deepCopy();
                String staging = "imports/" + UUID.randomUUID() + "/" + name;
                for (JsonNode version : body.path("versions")) {
                    if (!version.path("status").asText().equals("READY")) {
                        continue;
                    }
                    String number = version.path("version").asText();
                    Path source = SnapshotFiles.versionDirectory(directory, name, number);
                    String prefix = staging + "/" + number;
                    for (JsonNode file : version.path("files")) {
                        bytes += upload(
                                SnapshotFiles.file(source, file.path("path").asText()), prefix, file);
                    }
                    ((ObjectNode) version).put("staged_uri", "mlflow-artifacts:/" + prefix);
                    versions++;
                }
                target.post("/api/2.0/axle/registry/import", body);
                imported++;
            } catch (AxleException e) {
                failed.add(name + ": " + e.getMessage());
            }
        }
        out.printf(
                "Imported %d models, %d versions (%s of files) from %s into %s%n",
                imported, versions, Sizes.human(bytes), directory, target.url());
        skipped.forEach(line -> out.println("  skipped " + line));
        failed.forEach(line -> out.println("  FAILED  " + line));
        return failed.isEmpty() ? 0 : 1;
    }

    private boolean exists(String name) {
        try {
            target.get(TrackingClient.MLFLOW_API + "registered-models/get", Map.of("name", name));
            return true;
        } catch (AxleException e) {
            if (e.errorCode() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                return false;
            }
            throw e;
        }
    }

    private long upload(Path file, String prefix, JsonNode described) {
        if (!Files.isRegularFile(file)) {
            throw AxleException.invalidParameter("The export lacks " + file + "; export again.");
        }
        try (InputStream content = Files.newInputStream(file)) {
            long size = Files.size(file);
            target.upload(
                    TrackingClient.ARTIFACT_PROXY + "/"
                            + TrackingClient.encodePath(
                                    prefix + "/" + described.path("path").asText()),
                    content,
                    size);
            return size;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode read(Path snapshot) {
        if (!Files.isRegularFile(snapshot)) {
            throw AxleException.invalidParameter(directory + " is not a complete registry export: it has no "
                    + SnapshotFiles.SNAPSHOT + " (written last by 'axle registry export').");
        }
        try {
            return mapper.readTree(snapshot.toFile());
        } catch (IOException e) {
            throw AxleException.invalidParameter(snapshot + " is not valid JSON: " + e.getMessage());
        }
    }
}
