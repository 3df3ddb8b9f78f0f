package io.axle.server.artifacts;

import java.util.List;

/** The artifact proxy's listing: files named by their base name. */
record ArtifactList(List<FileInfo> files) {
    ArtifactList {
        files = List.copyOf(files);
    }
}
