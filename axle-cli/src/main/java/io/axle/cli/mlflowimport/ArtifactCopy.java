package io.axle.cli.mlflowimport;

import static java.util.Objects.requireNonNull;

import io.axle.cli.client.Download;
import io.axle.cli.client.TrackingClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies a tree of artifacts into the target's artifact proxy, one file at a time and streamed, never a whole file
 * in memory. A file already there with the same size is left alone, so a copy cut short continues where it stopped.
 */
final class ArtifactCopy {
    private final TrackingClient target;
    private final ImportSummary summary;

    ArtifactCopy(TrackingClient target, ImportSummary summary) {
        this.target = requireNonNull(target, "target is null");
        this.summary = requireNonNull(summary, "summary is null");
    }

    /** Copies every file of {@code source} to the same relative path under {@code targetRoot} in the proxy. */
    void copy(ArtifactSource source, String targetRoot) {
        copyDirectory(source, "", targetRoot);
    }

    private void copyDirectory(ArtifactSource source, String directory, String targetRoot) {
        Map<String, Long> present = presentSizes(join(targetRoot, directory));
        List<String> subdirectories = new ArrayList<>();
        source.list(directory, entry -> {
            if (entry.isDirectory()) {
                subdirectories.add(entry.path());
            } else if (entry.size() >= 0 && present.getOrDefault(baseName(entry.path()), -1L) == entry.size()) {
                summary.add(ImportSummary.Count.ARTIFACT_FILES_ALREADY_THERE, 1);
            } else {
                copyFile(source, entry, targetRoot);
            }
        });
        subdirectories.forEach(subdirectory -> copyDirectory(source, subdirectory, targetRoot));
    }

    private void copyFile(ArtifactSource source, ArtifactSource.Entry entry, String targetRoot) {
        String path = entry.path();
        try (Download download = source.open(path)) {
            target.upload(
                    TrackingClient.ARTIFACT_PROXY + "/" + TrackingClient.encodePath(join(targetRoot, path)),
                    download.content(),
                    download.length());
            summary.add(ImportSummary.Count.ARTIFACT_FILES, 1);
            // a length the download did not announce is the listing's
            long bytes = download.length() >= 0 ? download.length() : Math.max(entry.size(), 0);
            summary.add(ImportSummary.Count.ARTIFACT_BYTES, bytes);
        }
    }

    /** The sizes of the files already in {@code directory} of the proxy, by name. */
    private Map<String, Long> presentSizes(String directory) {
        Map<String, Long> sizes = new HashMap<>();
        target.get(TrackingClient.ARTIFACT_PROXY, Map.of("path", directory))
                .path("files")
                .forEach(file -> {
                    if (!file.path("is_dir").asBoolean(false)) {
                        sizes.put(
                                file.path("path").asText(),
                                file.path("file_size").asLong(-1));
                    }
                });
        return sizes;
    }

    static String join(String first, String second) {
        if (first.isEmpty()) {
            return second;
        }
        return second.isEmpty() ? first : first + "/" + second;
    }

    private static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
