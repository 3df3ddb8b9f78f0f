package io.axle.cli.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.common.AxleException;
import java.nio.file.Path;

/** Where a registry export keeps things: the snapshot in {@code registry.json}, files under {@code models/}. */
final class SnapshotFiles {
    static final String SNAPSHOT = "registry.json";
    static final String FORMAT = "axle-registry/1";

    private SnapshotFiles() {}

    /** The directory of one version's files; names were checked by the registry to be safe as path segments. */
    static Path versionDirectory(Path root, String model, String version) {
        Path directory = root.resolve("models").resolve(model).resolve(version).normalize();
        if (!directory.startsWith(root.resolve("models"))) {
            throw AxleException.invalidParameter("Model '" + model + "' version '" + version
                    + "' does not name a directory inside the export; the snapshot is damaged.");
        }
        return directory;
    }

    /** A file of a version, confined to the version's directory. */
    static Path file(Path versionDirectory, String relative) {
        Path file = versionDirectory.resolve(relative).normalize();
        if (!file.startsWith(versionDirectory) || file.equals(versionDirectory)) {
            throw AxleException.invalidParameter(
                    "File '" + relative + "' leaves its version's directory; the snapshot is damaged.");
        }
        return file;
    }

    static void requireFormat(JsonNode snapshot, Path source) {
        if (!snapshot.path("format").asText().equals(FORMAT)) {
            throw AxleException.invalidParameter(source + " is not an Axle registry export (format '"
                    + snapshot.path("format").asText() + "', expected '" + FORMAT + "')");
        }
    }
}
