package io.axle.server.artifacts;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.axle.storage.BlobDirectory;
import io.axle.storage.BlobEntry;
import io.axle.storage.BlobInfo;
import java.util.Optional;

/** MLflow's FileInfo: a directory has no size. */
public record FileInfo(String path, @JsonProperty("is_dir") boolean isDir, Optional<Long> fileSize) {
    public FileInfo {
        requireNonNull(path, "path is null");
        requireNonNull(fileSize, "fileSize is null");
    }

    static FileInfo of(BlobEntry entry, String path) {
        return switch (entry) {
            case BlobInfo blob -> new FileInfo(path, false, Optional.of(blob.size()));
            case BlobDirectory directory -> new FileInfo(path, true, Optional.empty());
        };
    }
}
