package io.axle.data.cache;

import static java.util.Objects.requireNonNull;

import io.axle.data.hash.DirManifest;
import io.axle.data.hash.HashName;
import io.axle.data.hash.Md5;
import io.axle.data.hash.Progress;
import io.axle.data.hash.TreeFingerprint;
import io.axle.data.repo.DataException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * DVC's local cache ({@code .dvc/cache}): DVC 3 objects at {@code files/md5/ab/cdef...}, DVC 2 objects (read only) at
 * {@code ab/cdef...}. Every object is written to a temporary file beside its final name, renamed into place, then made
 * read-only (0444), so a process killed at any point leaves either no object or a whole one.
 */
public final class Cache {
    private static final Set<PosixFilePermission> READ_ONLY = PosixFilePermissions.fromString("r--r--r--");
    private static final int BUFFER = 1 << 20;

    private final Path root;
    // set once a reflink fails; a plain flag, since a race only costs one more attempt
    private volatile boolean reflinksFail;

    private final Path md5Root;
    private final Set<Path> createdDirectories = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final int STREAM_BUFFER = 1 << 16;
    private static final long SMALL_FILE = 1 << 20;
    /** False once a file system refused permissions at creation; objects are then made read-only after the rename. */
    private static volatile boolean readOnlyCreation = true;

    public Cache(Path root) {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
        this.md5Root = this.root.resolve("files").resolve("md5");
    }

    public Path root() {
        return root;
    }

    /** Where DVC 3 keeps the object {@code md5} (a file md5, or a directory's {@code ....dir}). */
    public Path objectPath(String md5) {
        return objectPath(HashName.MD5, md5);
    }

    public Path objectPath(HashName hashName, String md5) {
        checkHash(md5);
        Path base = switch (hashName) {
            case MD5 -> md5Root;
            case MD5_DOS2UNIX -> root;
        };
        return base.resolve(md5.substring(0, 2) + '/' + md5.substring(2));
    }

    /** A fingerprint of the prefix directories' mtimes, and the newest of them. */
    public record PrefixStamp(TreeFingerprint fingerprint, long newestNanos) {}

    /** Stats the (at most 256) prefix directories under which {@code hashName}'s objects live. */
    public PrefixStamp prefixStamp(HashName hashName) {
        Path base = hashName == HashName.MD5 ? md5Root : root;
        TreeFingerprint.Builder fingerprint = new TreeFingerprint.Builder();
        long newest = Long.MIN_VALUE;
        for (int i = 0; i < 256; i++) {
            Path prefix = base.resolve(PREFIXES[i]);
            try {
                BasicFileAttributes attributes =
                        Files.readAttributes(prefix, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                fingerprint.add(prefix, attributes);
                newest = Math.max(newest, attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS));
            } catch (NoSuchFileException e) {
                // no object under this prefix
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new PrefixStamp(fingerprint.build(), newest);
    }

    private static final String[] PREFIXES = java.util.stream.IntStream.range(0, 256)
            .mapToObj(i -> java.util.HexFormat.of().toHexDigits((byte) i))
            .toArray(String[]::new);

    public boolean contains(HashName hashName, String md5) {
        return Files.isRegularFile(objectPath(hashName, md5));
    }

    public Optional<Path> find(HashName hashName, String md5) {
        Path path = objectPath(hashName, md5);
        return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    }

    /**
     * Saves a workspace file as the object {@code md5}, which the caller hashed. A reflink is tried first; a copy is
     * hashed on the way and refused if the file changed since it was hashed. Does nothing if the object exists.
     */
    public void saveFile(Path source, String md5) {
        Path target = objectPath(HashName.MD5, md5);
        if (Files.isRegularFile(target)) {
            return;
        }
        Path temporary = temporaryFor(target);
        boolean published = false;
        try {
            ensureDirectory(target.getParent());
            boolean readOnly = false;
            if (!tryReflink(source, temporary)) {
                try (InputStream in = Files.newInputStream(source)) {
                    String copied = copyHashing(in, temporary, Progress.NONE, sizeHint(source));
                    if (!copied.equals(md5)) {
                        throw DataException.failed("'" + source + "' changed while it was being saved to the cache;"
                                + " run the command again once nothing writes to it");
                    }
                }
                readOnly = true;
            }
            publish(temporary, target, readOnly);
            published = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!published) {
                deleteQuietly(temporary);
            }
        }
    }

    /**
     * Saves a workspace file whose md5 is not known yet, reading it once: it is copied (or reflinked) to a temporary
     * file in {@code files/md5/}, hashed on the way, then renamed to its object name. Returns the md5.
     */
    public String saveFileHashing(Path source, Progress progress) {
        try {
            long size = Files.size(source);
            if (size <= SMALL_FILE && !reflinksAvailable()) {
                return saveSmallFile(source, size, progress);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // DVC skips files directly in files/md5/ when it lists objects (no two-character directory)
        Path temporary = md5Root.resolve(UUID.randomUUID() + ".tmp");
        boolean published = false;
        try {
            ensureDirectory(md5Root);
            String md5;
            boolean readOnly = false;
            if (tryReflink(source, temporary)) {
                md5 = Md5.ofFile(temporary, progress);
            } else {
                try (InputStream in = Files.newInputStream(source)) {
                    md5 = copyHashing(in, temporary, progress, sizeHint(source));
                }
                readOnly = true;
            }
            Path target = objectPath(HashName.MD5, md5);
            if (!Files.isRegularFile(target)) {
                ensureDirectory(target.getParent());
                publish(temporary, target, readOnly);
                published = true;
            }
            return md5;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!published) {
                deleteQuietly(temporary);
            }
        }
    }

    /**
     * A small file is read into memory and hashed first, so its temporary file goes straight into its prefix directory
     * (a rename within one directory costs the file system less than one across two) and an object the cache already
     * has is not written at all.
     */
    private String saveSmallFile(Path source, long size, Progress progress) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(source)) {
            bytes = in.readNBytes((int) size + 1);
        }
        String md5 = Md5.ofBytes(bytes);
        progress.bytesHashed(bytes.length);
        Path target = objectPath(HashName.MD5, md5);
        if (Files.isRegularFile(target)) {
            return md5;
        }
        ensureDirectory(target.getParent());
        Path temporary = temporaryFor(target);
        boolean published = false;
        try {
            try (java.nio.channels.SeekableByteChannel out = createReadOnly(temporary)) {
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
            publish(temporary, target, true);
            published = true;
        } finally {
            if (!published) {
                deleteQuietly(temporary);
            }
        }
        return md5;
    }

    /** Whether reflinks may still work here: then even small files are cloned, not copied. */
    private boolean reflinksAvailable() {
        return !reflinksFail;
    }

    /**
     * Saves a stream (from a remote, say) as the object {@code md5}, checking that its bytes have that md5. For a
     * {@code .dir} object the md5 checked is the part before {@code .dir}.
     */
    public void saveStream(InputStream in, HashName hashName, String md5) {
        Path target = objectPath(hashName, md5);
        Path temporary = temporaryFor(target);
        boolean published = false;
        try {
            ensureDirectory(target.getParent());
            String copied = copyHashing(in, temporary, Progress.NONE, STREAM_BUFFER);
            String expected = md5.endsWith(".dir") ? md5.substring(0, md5.length() - 4) : md5;
            // a DVC 2 object's name is its dos2unix md5, which the raw bytes need not have
            if (hashName == HashName.MD5 && !copied.equals(expected)) {
                throw DataException.failed("object " + md5 + " arrived with md5 " + copied + "; it was not saved");
            }
            publish(temporary, target, true);
            published = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!published) {
                deleteQuietly(temporary);
            }
        }
    }

    public Path objectPath(ObjectId id) {
        return objectPath(id.hashName(), id.md5());
    }

    /**
     * Every object in the cache, both layouts ({@code *.tmp} files of interrupted writes are not objects). For
     * {@code gc} and for pushing everything.
     */
    public java.util.List<ObjectId> listObjects() {
        java.util.List<ObjectId> objects = new java.util.ArrayList<>();
        listLayout(root.resolve("files").resolve("md5"), HashName.MD5, objects);
        listLayout(root, HashName.MD5_DOS2UNIX, objects);
        return objects;
    }

    private static void listLayout(Path base, HashName hashName, java.util.List<ObjectId> objects) {
        if (!Files.isDirectory(base)) {
            return;
        }
        try (var prefixes = Files.newDirectoryStream(
                base, entry -> entry.getFileName().toString().matches("[0-9a-f]{2}"))) {
            for (Path prefix : prefixes) {
                try (var files = Files.newDirectoryStream(prefix)) {
                    for (Path file : files) {
                        String md5 = prefix.getFileName().toString() + file.getFileName();
                        if (md5.matches("[0-9a-f]{32}(\\.dir)?") && Files.isRegularFile(file)) {
                            objects.add(new ObjectId(hashName, md5));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Saves a directory manifest as its {@code .dir} object and returns the directory hash. */
    public String saveManifest(DirManifest manifest) {
        String hash = manifest.hash();
        Path target = objectPath(HashName.MD5, hash);
        if (!Files.isRegularFile(target)) {
            saveStream(new java.io.ByteArrayInputStream(manifest.toBytes()), HashName.MD5, hash);
        }
        return hash;
    }

    /** Reads the manifest of a directory hash ({@code ....dir}); empty if the cache does not hold it. */
    public Optional<DirManifest> readManifest(HashName hashName, String dirHash) {
        Optional<Path> path = find(hashName, dirHash);
        if (path.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(DirManifest.parse(Files.readAllBytes(path.get())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String copyHashing(InputStream in, Path temporary) throws IOException {
        return copyHashing(in, temporary, Progress.NONE, STREAM_BUFFER);
    }

    /** The size of a file as a buffer size hint: small files get a small buffer, not 1 MiB each. */
    private static int sizeHint(Path source) {
        try {
            return (int) Math.min(BUFFER, Math.max(8192, Files.size(source) + 1));
        } catch (IOException e) {
            return STREAM_BUFFER;
        }
    }

    /**
     * Copies {@code in} to a new {@code temporary} file, created read-only (0444, as objects are) so no chmod follows,
     * and returns the md5 of what was copied.
     */
    private static String copyHashing(InputStream in, Path temporary, Progress progress, int bufferSize)
            throws IOException {
        MessageDigest digest = Md5.newDigest();
        byte[] buffer = new byte[bufferSize];
        try (OutputStream out = java.nio.channels.Channels.newOutputStream(createReadOnly(temporary))) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, read);
                out.write(buffer, 0, read);
                progress.bytesHashed(read);
            }
        }
        return Md5.hex(digest.digest());
    }

    private static java.nio.channels.SeekableByteChannel createReadOnly(Path temporary) throws IOException {
        try {
            return Files.newByteChannel(
                    temporary,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(READ_ONLY));
        } catch (UnsupportedOperationException e) {
            readOnlyCreation = false;
            return Files.newByteChannel(temporary, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        }
    }

    private static void publish(Path temporary, Path target, boolean readOnly) throws IOException {
        // no fsync per object, as DVC does none: a killed process leaves whole objects either way (the kernel keeps
        // what was written before the rename); an fsync per small file would double the time of adding many of them
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AccessDeniedException e) {
            // another process saved the same object first: same md5, same bytes
            if (!Files.isRegularFile(target)) {
                throw e;
            }
            deleteQuietly(temporary);
            return;
        }
        if (!readOnly || !readOnlyCreation) {
            try {
                Files.setPosixFilePermissions(target, READ_ONLY);
            } catch (UnsupportedOperationException e) {
                target.toFile().setReadOnly();
            }
        }
    }

    /** Creates a prefix directory once per process: a mkdir that fails with EEXIST per object adds up. */
    private void ensureDirectory(Path directory) throws IOException {
        if (!createdDirectories.contains(directory)) {
            Files.createDirectories(directory);
            createdDirectories.add(directory);
        }
    }

    static Path temporaryFor(Path target) {
        return target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // a leftover temporary file is named *.tmp and never read as an object
        }
    }

    private static void checkHash(String md5) {
        boolean directory = md5.length() == 36 && md5.endsWith(".dir");
        boolean valid = md5.length() == 32 || directory;
        for (int i = 0; valid && i < 32; i++) {
            char c = md5.charAt(i);
            valid = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        }
        if (!valid) {
            throw new DataException(DataException.Kind.OTHER, "'" + md5 + "' is not an md5 hash");
        }
    }

    /**
     * A reflink, unless reflinks already failed in this cache: a file system without them refuses every file alike,
     * and each attempt costs a create and an unlink.
     */
    private boolean tryReflink(Path source, Path temporary) {
        if (reflinksFail) {
            return false;
        }
        boolean cloned = Reflink.tryClone(source, temporary);
        if (!cloned) {
            reflinksFail = true;
        }
        return cloned;
    }
}
