package io.axle.storage;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Opens the store a destination names, as {@code --artifacts-destination} takes it. */
public final class BlobStores {
    private BlobStores() {}

    /**
     * {@code s3://bucket/prefix} opens an {@link S3BlobStore} configured from {@code environment} (see
     * {@link S3Config#fromEnvironment}); a {@code file:} URI or a plain path opens a {@link LocalBlobStore}.
     */
    public static BlobStore open(String destination, Map<String, String> environment) {
        if (isS3(destination)) {
            return S3BlobStore.open(S3Config.fromEnvironment(destination, environment));
        }
        return LocalBlobStore.open(localPath(destination));
    }

    public static boolean isS3(String destination) {
        return destination.toLowerCase(Locale.ROOT).startsWith("s3://");
    }

    /** The directory a local destination names: a {@code file:} URI or a plain path. */
    public static Path localPath(String destination) {
        if (destination.toLowerCase(Locale.ROOT).startsWith("file:")) {
            return Path.of(URI.create(destination));
        }
        return Path.of(destination);
    }
}
