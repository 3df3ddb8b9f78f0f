package io.axle.server.registry;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.storage.BlobContent;
import io.axle.storage.BlobDirectory;
import io.axle.storage.BlobEntry;
import io.axle.storage.BlobInfo;
import io.axle.storage.BlobKey;
import io.axle.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The registry's copies of model files in the artifacts destination, each file digested as it is copied. */
final class ModelStorage {
    private final BlobStore store;

    ModelStorage(BlobStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    /** The blobs that make up a model at {@code source}: every blob under it, or the blob itself. */
    List<BlobInfo> filesOf(BlobKey source) {
        List<BlobInfo> files = new ArrayList<>();
        if (!source.isRoot()) {
            store.stat(source).ifPresent(files::add);
        }
        if (files.isEmpty()) {
            collect(source, files);
        }
        return files;
    }

    private void collect(BlobKey directory, List<BlobInfo> files) {
        for (BlobEntry entry : store.list(directory)) {
            switch (entry) {
                case BlobInfo file -> files.add(file);
                case BlobDirectory subdirectory -> collect(subdirectory.key(), files);
            }
        }
    }

    /**
     * Copies the model at {@code source} to {@code target}, replacing anything there; returns each file's path
     * relative to the model with its size and SHA-256 as read during the copy.
     */
    List<ModelFile> copy(BlobKey source, BlobKey target) {
        List<BlobInfo> files = filesOf(source);
        if (files.isEmpty()) {
            throw AxleException.notFound("No files at '" + source.path() + "' to register");
        }
        store.deletePrefix(target);
        List<ModelFile> copied = new ArrayList<>(files.size());
        for (BlobInfo file : files) {
            String relative = relativePath(source, file.key());
            MessageDigest digest = sha256();
            try (BlobContent content = store.open(file.key());
                    InputStream digesting = new DigestInputStream(content.stream(), digest)) {
                BlobInfo written = store.put(
                        target.resolve(relative), digesting, content.info().size());
                copied.add(
                        new ModelFile(relative, written.size(), HexFormat.of().formatHex(digest.digest())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return copied;
    }

    /** Each file of the model at {@code source}, digested now (for models the registry did not copy). */
    List<ModelFile> digest(BlobKey source) {
        List<ModelFile> digested = new ArrayList<>();
        for (BlobInfo file : filesOf(source)) {
            MessageDigest digest = sha256();
            try (BlobContent content = store.open(file.key());
                    InputStream digesting = new DigestInputStream(content.stream(), digest)) {
                digesting.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            digested.add(new ModelFile(
                    relativePath(source, file.key()),
                    file.size(),
                    HexFormat.of().formatHex(digest.digest())));
        }
        return digested;
    }

    void delete(BlobKey target) {
        store.deletePrefix(target);
    }

    private static String relativePath(BlobKey source, BlobKey file) {
        if (file.equals(source)) {
            return file.name();
        }
        return file.path().substring(source.isRoot() ? 0 : source.path().length() + 1);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }
}
