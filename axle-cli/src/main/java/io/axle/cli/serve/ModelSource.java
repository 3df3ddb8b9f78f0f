package io.axle.cli.serve;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What {@code axle serve MODEL_URI} names: a local MLflow model directory, or a URI the tracking server resolves. */
sealed interface ModelSource {
    /** A directory holding an {@code MLmodel} file, served in place. */
    record LocalDirectory(Path directory) implements ModelSource {
        public LocalDirectory {
            requireNonNull(directory, "directory is null");
        }
    }

    /**
     * {@code models:/name/3}, {@code models:/name/Production}, {@code models:/name@alias} or
     * {@code runs:/<run id>/path}: resolved and downloaded through the tracking server.
     */
    record Remote(String uri) implements ModelSource {
        public Remote {
            requireNonNull(uri, "uri is null");
        }

        /** Whether the URI can name another version later: an alias, a stage or {@code latest}, not a number. */
        public boolean followable() {
            if (!uri.startsWith("models:/")) {
                return false;
            }
            String rest = uri.substring("models:/".length());
            if (rest.contains("@")) {
                return true;
            }
            int slash = rest.lastIndexOf('/');
            return slash >= 0 && !rest.substring(slash + 1).matches("\\d+");
        }
    }

    static ModelSource parse(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("models:/") || lower.startsWith("runs:/")) {
            return new Remote(text);
        }
        if (lower.matches("^[a-z][a-z0-9+.-]+:/.*") && !lower.startsWith("file:/")) {
            throw AxleException.invalidParameter("'" + text + "' is not a model axle serve can load: give a local "
                    + "MLflow model directory, models:/NAME/VERSION, models:/NAME/STAGE, models:/NAME@ALIAS or "
                    + "runs:/RUN_ID/PATH");
        }
        Path directory;
        try {
            // an InvalidPathException is an IllegalArgumentException, as is a malformed file: URI
            directory = lower.startsWith("file:/") ? Path.of(java.net.URI.create(text)) : Path.of(text);
        } catch (IllegalArgumentException e) {
            throw AxleException.invalidParameter("'" + text + "' is not a valid path: " + e.getMessage());
        }
        if (!Files.isDirectory(directory)) {
            throw AxleException.invalidParameter(
                    "'" + text + "' is not a directory; give an MLflow model directory (one with an MLmodel file) "
                            + "or a models:/ or runs:/ URI");
        }
        if (!Files.isRegularFile(directory.resolve("MLmodel"))) {
            throw AxleException.invalidParameter("'" + text + "' has no MLmodel file, so it is not an MLflow model "
                    + "directory; point at the directory that mlflow.<flavor>.save_model wrote");
        }
        return new LocalDirectory(directory.toAbsolutePath().normalize());
    }
}
