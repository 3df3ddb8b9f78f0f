package io.axle.storage;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link BlobStore} over a directory: a key is a file under the root. A write streams into a file in the root's
 * {@value #TEMPORARY_DIRECTORY} directory, is fsynced, and is renamed over its final name in one atomic step, so a
 * crash never leaves a half-written blob under its key. Every key is confined to the root, through symbolic links
 * too.
 */
public final class LocalBlobStore implements BlobStore {
    /** Where writes in progress live; reserved, hidden from listings. */
    public static final String TEMPORARY_DIRECTORY = ".axle-tmp";

    private static final int BUFFER_BYTES = 1024 * 1024;
    private static final Duration STALE_AFTER = Duration.ofDays(1);

    /** What a write survives once {@code put} returns. */
    public enum Durability {
        /** The file and its directory entry are fsynced: the write survives a power cut. */
        SYNCED,
        /**
         * Written under a temporary name and renamed, without fsync: the write survives a killed process but not a
         * power cut. What DVC does for its cache and local remotes, and many times faster for many small files.
         */
        RENAMED
    }

    private final Path root;
    private final Path temporary;
    private final Durability durability;
    /**
     * Directories under the root this process created or found to be real directories inside it: a key under one
     * needs no walk up the tree and no {@code realpath} (a stat of its own file tells whether it is a link). Cleared by
     * deletes, which may remove them.
     */
    private final Set<Path> verifiedDirectories = ConcurrentHashMap.newKeySet();

    private LocalBlobStore(Path root, Path temporary, Durability durability) {
        this.root = requireNonNull(root, "root is null");
        this.temporary = requireNonNull(temporary, "temporary is null");
        this.durability = requireNonNull(durability, "durability is null");
    }

    /**
     * A store over {@code root}, created when missing. Partial writes older than a day, left by a crash, are
     * removed.
     */
    public static LocalBlobStore open(Path root) {
        return open(root, Durability.SYNCED);
    }

    /** As {@link #open(Path)}, with the given durability of writes. */
    public static LocalBlobStore open(Path root, Durability durability) {
        try {
            Files.createDirectories(root);
            Path realRoot = root.toRealPath();
            Path temporary = Files.createDirectories(realRoot.resolve(TEMPORARY_DIRECTORY));
            LocalBlobStore store = new LocalBlobStore(realRoot, temporary, durability);
            store.removeStaleWrites();
            return store;
        } catch (IOException e) {
            throw new AxleException(
                    ErrorCode.IO_ERROR, "Cannot open the blob store at " + root + ": " + describe(e), e);
        }
    }

    /** The directory this store keeps its blobs in, with symbolic links resolved. */
    public Path root() {
        return root;
    }

    @Override
    public BlobInfo put(BlobKey key, InputStream content) {
        return write(key, content, -1);
    }

    @Override
    public BlobInfo put(BlobKey key, InputStream content, long contentLength) {
        if (contentLength < 0) {
            throw new IllegalArgumentException("contentLength is negative: " + contentLength);
        }
        return write(key, content, contentLength);
    }

    @Override
    public BlobContent open(BlobKey key) {
        Path file = confined(requireBlobKey(key));
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                throw AxleException.notFound("No blob '" + key + "': it is a directory");
            }
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            BlobInfo info = new BlobInfo(
                    key, channel.size(), attributes.lastModifiedTime().toInstant());
            return new BlobContent(info, Channels.newInputStream(channel));
        } catch (NoSuchFileException e) {
            throw AxleException.notFound("No blob '" + key + "'");
        } catch (IOException e) {
            throw ioError("read", key, e);
        }
    }

    @Override
    public Optional<BlobInfo> stat(BlobKey key) {
        Path file = confined(requireBlobKey(key));
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.isRegularFile()
                    ? Optional.of(new BlobInfo(
                            key,
                            attributes.size(),
                            attributes.lastModifiedTime().toInstant()))
                    : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw ioError("inspect", key, e);
        }
    }

    @Override
    public List<BlobEntry> list(BlobKey directory) {
        Path path = confined(directory);
        if (!Files.isDirectory(path)) {
            return List.of();
        }
        List<BlobEntry> entries = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(path)) {
            for (Path child : children) {
                entryOf(directory, child).ifPresent(entries::add);
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw ioError("list", directory, e);
        }
        entries.sort(Comparator.comparing(BlobEntry::key));
        return List.copyOf(entries);
    }

    @Override
    public boolean delete(BlobKey key) {
        verifiedDirectories.clear();
        Path file = confined(requireBlobKey(key));
        try {
            if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS) || !Files.deleteIfExists(file)) {
                return false;
            }
            syncDirectory(file.getParent());
            return true;
        } catch (IOException e) {
            throw ioError("delete", key, e);
        }
    }

    @Override
    public long deletePrefix(BlobKey prefix) {
        verifiedDirectories.clear();
        if (prefix.isRoot()) {
            throw AxleException.invalidParameter(
                    "Refusing to delete every blob in the store " + root + "; name a prefix under it");
        }
        Path directory = confined(prefix);
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        try {
            long deleted = deleteTree(directory);
            syncDirectory(directory.getParent());
            return deleted;
        } catch (IOException e) {
            throw ioError("delete", prefix, e);
        }
    }

    private BlobInfo write(BlobKey key, InputStream content, long expectedLength) {
        Path target = confined(requireBlobKey(key));
        createParentDirectories(key);
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new AxleException(ErrorCode.RESOURCE_CONFLICT, "Cannot store blob '" + key + "': it is a directory");
        }
        Path partial = temporary.resolve("put-" + UUID.randomUUID() + ".part");
        boolean moved = false;
        try {
            long size;
            try {
                size = copy(key, content, partial, expectedLength, durability == Durability.SYNCED);
            } catch (NoSuchFileException e) {
                // the directory for writes in progress was removed behind the store's back: make it again, once
                if (!e.getFile().equals(partial.toString())) {
                    throw e;
                }
                Files.createDirectories(temporary);
                size = copy(key, content, partial, expectedLength, durability == Durability.SYNCED);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            syncDirectory(target.getParent());
            return new BlobInfo(key, size, Files.getLastModifiedTime(target).toInstant());
        } catch (IOException e) {
            throw ioError("write", key, e);
        } finally {
            if (!moved) {
                deleteQuietly(partial);
            }
        }
    }

    private static long copy(BlobKey key, InputStream content, Path partial, long expectedLength, boolean sync)
            throws IOException {
        // a small blob gets a small buffer: pushing 100,000 small files should not allocate 1 MiB each
        byte[] buffer = new byte
                [expectedLength >= 0 ? (int) Math.min(BUFFER_BYTES, Math.max(8192, expectedLength + 1)) : BUFFER_BYTES];
        long size = 0;
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (true) {
                int read = read(key, content, buffer, size);
                if (read == 0) {
                    break;
                }
                size += read;
                if (expectedLength >= 0 && size > expectedLength) {
                    throw new AxleException(
                            ErrorCode.BAD_REQUEST,
                            "The content of '" + key + "' is longer than the " + expectedLength
                                    + " bytes announced; nothing was stored");
                }
                ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, read);
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            }
            if (expectedLength >= 0 && size != expectedLength) {
                throw new AxleException(
                        ErrorCode.BAD_REQUEST,
                        "The content of '" + key + "' ended after " + size + " of the " + expectedLength
                                + " bytes announced; nothing was stored");
            }
            if (sync) {
                channel.force(true);
            }
        }
        return size;
    }

    /** Fills {@code buffer} as far as the content goes; 0 at its end. */
    private static int read(BlobKey key, InputStream content, byte[] buffer, long readSoFar) {
        try {
            return content.readNBytes(buffer, 0, buffer.length);
        } catch (IOException e) {
            throw new AxleException(
                    ErrorCode.BAD_REQUEST,
                    "Reading the content of '" + key + "' failed after " + readSoFar + " bytes (" + describe(e)
                            + "); nothing was stored",
                    e);
        }
    }

    private void createParentDirectories(BlobKey key) {
        Path parent = root;
        for (String segment : key.parent().orElseThrow().segments()) {
            parent = parent.resolve(segment);
        }
        if (verifiedDirectories.contains(parent)) {
            return;
        }
        createParentDirectoriesOneByOne(key);
        verifiedDirectories.add(parent);
    }

    private void createParentDirectoriesOneByOne(BlobKey key) {
        Path current = root;
        for (String segment : key.parent().orElseThrow().segments()) {
            Path next = current.resolve(segment);
            try {
                Files.createDirectory(next);
                syncDirectory(current);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(next)) {
                    throw new AxleException(
                            ErrorCode.RESOURCE_CONFLICT,
                            "Cannot store blob '" + key + "': '" + root.relativize(next)
                                    + "' is a blob, not a directory");
                }
            } catch (IOException e) {
                throw ioError("write", key, e);
            }
            current = next;
        }
    }

    private Optional<BlobEntry> entryOf(BlobKey directory, Path child) throws IOException {
        String name = child.getFileName().toString();
        if (directory.isRoot() && name.equals(TEMPORARY_DIRECTORY)) {
            return Optional.empty();
        }
        if (BlobKey.problemWith(name).isPresent() || (Files.isSymbolicLink(child) && !isInside(child))) {
            // unreachable through any key: a name no key can spell, or a link out of the store
            return Optional.empty();
        }
        BlobKey key = directory.resolve(name);
        try {
            BasicFileAttributes attributes = Files.readAttributes(child, BasicFileAttributes.class);
            if (attributes.isDirectory()) {
                return Optional.of(new BlobDirectory(key));
            }
            if (attributes.isRegularFile()) {
                return Optional.of(new BlobInfo(
                        key, attributes.size(), attributes.lastModifiedTime().toInstant()));
            }
            return Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static long deleteTree(Path directory) throws IOException {
        long[] deleted = {0};
        Files.walkFileTree(directory, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (Files.deleteIfExists(file)) {
                    deleted[0]++;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path visited, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.deleteIfExists(visited);
                return FileVisitResult.CONTINUE;
            }
        });
        return deleted[0];
    }

    /** The file of {@code key}, after making sure that neither it nor any directory above it leads out of the root. */
    private Path confined(BlobKey key) {
        List<String> segments = key.segments();
        if (!segments.isEmpty() && segments.getFirst().equals(TEMPORARY_DIRECTORY)) {
            throw AxleException.invalidParameter(
                    "Invalid path '" + key + "': '" + TEMPORARY_DIRECTORY + "' is reserved for writes in progress");
        }
        Path path = root;
        for (String segment : segments) {
            path = path.resolve(segment);
        }
        Path parent = path.getParent();
        if (parent != null && verifiedDirectories.contains(parent) && !Files.isSymbolicLink(path)) {
            return path;
        }
        Path existing = path;
        while (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (!isInside(existing)) {
            throw AxleException.invalidParameter(
                    "Invalid path '" + key + "': it leads out of the store " + root + " through a symbolic link");
        }
        if (parent != null && existing.startsWith(parent) && Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
            verifiedDirectories.add(parent);
        }
        return path;
    }

    private boolean isInside(Path path) {
        try {
            return path.toRealPath().startsWith(root);
        } catch (IOException e) {
            // a dangling link, or one that loops: nothing a key may lead through
            return false;
        }
    }

    private static BlobKey requireBlobKey(BlobKey key) {
        if (key.isRoot()) {
            throw AxleException.invalidParameter("Invalid path '': a blob needs a non-empty key");
        }
        return key;
    }

    private void syncDirectory(Path directory) throws IOException {
        if (durability == Durability.SYNCED) {
            forceDirectory(directory);
        }
    }

    private static void forceDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private void removeStaleWrites() throws IOException {
        Instant staleBefore = Instant.now().minus(STALE_AFTER);
        try (DirectoryStream<Path> partials = Files.newDirectoryStream(temporary, "*.part")) {
            for (Path partial : partials) {
                if (Files.getLastModifiedTime(partial).toInstant().isBefore(staleBefore)) {
                    Files.deleteIfExists(partial);
                }
            }
        }
    }

    private static void deleteQuietly(Path partial) {
        try {
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            // left for removeStaleWrites: the blob's own failure is what the caller needs to hear about
        }
    }

    private static AxleException ioError(String action, BlobKey key, IOException e) {
        return new AxleException(ErrorCode.IO_ERROR, "Could not " + action + " blob '" + key + "': " + describe(e), e);
    }

    private static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    @Override
    public String toString() {
        return "LocalBlobStore[" + root + "]";
    }
}
