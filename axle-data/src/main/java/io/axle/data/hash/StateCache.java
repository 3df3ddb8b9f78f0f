package io.axle.data.hash;

import static java.util.Objects.requireNonNull;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Remembers the md5 of files by (inode, mtime, size), so that a second {@code status} of an unchanged tree hashes
 * nothing. It lives in one small file under {@code .dvc/tmp/}, which DVC keeps out of Git; a missing or unreadable
 * file only means hashing again.
 */
public final class StateCache {
    private static final int FORMAT = 1;

    /** What a file looked like when it was hashed. */
    public record Stat(long inode, long mtimeNanos, long size) {}

    private record Key(String path, HashName hashName) {}

    private record Value(Stat stat, String md5) {}

    /**
     * What a whole directory looked like when it was hashed: an order-independent digest of every file's path, inode,
     * mtime and size (see {@link TreeFingerprint}). Kept apart from the per-file table, in a small file of its own, so
     * a status of an unchanged tree reads neither the per-file table nor the manifest.
     */
    private record TreeValue(TreeFingerprint fingerprint, String md5) {}

    private final Path file;
    private final Map<Key, Value> entries = new ConcurrentHashMap<>();
    private final Map<Key, TreeValue> trees = new ConcurrentHashMap<>();
    private volatile boolean loaded;
    private volatile boolean dirty;
    private volatile boolean treesDirty;

    private StateCache(Path file) {
        this.file = file;
    }

    /**
     * A state cache kept in {@code file} (and {@code file-trees}); nothing is written until {@link #save()}. The
     * per-file table is read on first use, the directory table at once.
     */
    public static StateCache open(Path file) {
        StateCache state = new StateCache(requireNonNull(file, "file is null"));
        state.loadTrees();
        return state;
    }

    /** The {@code .dir} hash remembered for {@code directory} if it still has the fingerprint it had then. */
    public Optional<String> lookupTree(Path directory, HashName hashName, TreeFingerprint fingerprint) {
        TreeValue value = trees.get(new Key(directory.toString(), hashName));
        return value != null && value.fingerprint().equals(fingerprint) ? Optional.of(value.md5()) : Optional.empty();
    }

    /**
     * Whether the directory object {@code dirMd5} was found complete in the cache at {@code cacheRoot} when its prefix
     * directories had the fingerprint {@code prefixes}.
     */
    public boolean lookupComplete(Path cacheRoot, HashName hashName, String dirMd5, TreeFingerprint prefixes) {
        return lookupTree(completeKey(cacheRoot, dirMd5), hashName, prefixes).isPresent();
    }

    /** Remembers that every object of {@code dirMd5} was in the cache while its prefix directories were so. */
    public void recordComplete(Path cacheRoot, HashName hashName, String dirMd5, TreeFingerprint prefixes) {
        recordTree(completeKey(cacheRoot, dirMd5), hashName, prefixes, dirMd5);
    }

    private static Path completeKey(Path cacheRoot, String dirMd5) {
        // a name no directory has, so the two kinds of entry never meet in one table
        return cacheRoot.resolve("complete:" + dirMd5);
    }

    /** Remembers a directory's {@code .dir} hash; see {@link Hasher} for when a tree may be recorded. */
    public void recordTree(Path directory, HashName hashName, TreeFingerprint fingerprint, String md5) {
        TreeValue value = new TreeValue(fingerprint, md5);
        if (!value.equals(trees.put(new Key(directory.toString(), hashName), value))) {
            treesDirty = true;
        }
    }

    /** A state cache that remembers only for its own lifetime (for one-off hashing such as {@code digest}). */
    public static StateCache inMemory() {
        return new StateCache(null);
    }

    public static Stat stat(Path path) {
        try {
            Map<String, Object> attributes = Files.readAttributes(path, "unix:ino,size,lastModifiedTime");
            long inode = ((Number) attributes.get("ino")).longValue();
            long size = ((Number) attributes.get("size")).longValue();
            long mtime = ((FileTime) attributes.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
            return new Stat(inode, mtime, size);
        } catch (UnsupportedOperationException e) {
            try {
                return new Stat(0, Files.getLastModifiedTime(path).to(TimeUnit.NANOSECONDS), Files.size(path));
            } catch (IOException io) {
                throw new UncheckedIOException(io);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<String> lookup(Path path, Stat stat, HashName hashName) {
        ensureLoaded();
        Value value = entries.get(new Key(path.toString(), hashName));
        return value != null && value.stat.equals(stat) ? Optional.of(value.md5) : Optional.empty();
    }

    /**
     * Remembers {@code md5} for a file as {@code stat} saw it. Callers record only files whose mtime is older than the
     * moment they started hashing (see {@link Hasher}), so a write during hashing can never hide behind an equal mtime.
     */
    public void record(Path path, Stat stat, HashName hashName, String md5) {
        ensureLoaded();
        Value value = new Value(stat, md5);
        Value previous = entries.put(new Key(path.toString(), hashName), value);
        if (!value.equals(previous)) {
            dirty = true;
        }
    }

    /** Writes the cache to its file (to a temporary file, then renamed) if anything was learned. */
    public void save() {
        if (file == null) {
            return;
        }
        saveTrees();
        if (!dirty) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
            try (OutputStream stream = Files.newOutputStream(temporary);
                    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream, 1 << 16))) {
                out.writeInt(FORMAT);
                out.writeInt(entries.size());
                for (Map.Entry<Key, Value> entry : entries.entrySet()) {
                    out.writeUTF(entry.getKey().path());
                    out.writeByte(entry.getKey().hashName().ordinal());
                    out.writeLong(entry.getValue().stat().inode());
                    out.writeLong(entry.getValue().stat().mtimeNanos());
                    out.writeLong(entry.getValue().stat().size());
                    out.writeUTF(entry.getValue().md5());
                }
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            dirty = false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void ensureLoaded() {
        if (!loaded) {
            synchronized (this) {
                if (!loaded) {
                    if (file != null) {
                        load();
                    }
                    loaded = true;
                }
            }
        }
    }

    private Path treesFile() {
        return file.resolveSibling(file.getFileName() + "-trees");
    }

    private void saveTrees() {
        if (!treesDirty) {
            return;
        }
        Path target = treesFile();
        try {
            Files.createDirectories(target.getParent());
            Path temporary = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + ".tmp");
            try (OutputStream stream = Files.newOutputStream(temporary);
                    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream, 1 << 12))) {
                out.writeInt(FORMAT);
                out.writeInt(trees.size());
                for (Map.Entry<Key, TreeValue> entry : trees.entrySet()) {
                    out.writeUTF(entry.getKey().path());
                    out.writeByte(entry.getKey().hashName().ordinal());
                    TreeFingerprint fingerprint = entry.getValue().fingerprint();
                    out.writeLong(fingerprint.low());
                    out.writeLong(fingerprint.high());
                    out.writeInt(fingerprint.files());
                    out.writeUTF(entry.getValue().md5());
                }
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            treesDirty = false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void loadTrees() {
        try (InputStream stream = Files.newInputStream(treesFile());
                DataInputStream in = new DataInputStream(new BufferedInputStream(stream, 1 << 12))) {
            if (in.readInt() != FORMAT) {
                return;
            }
            int count = in.readInt();
            HashName[] names = HashName.values();
            for (int i = 0; i < count; i++) {
                String path = in.readUTF();
                HashName hashName = names[in.readByte()];
                TreeFingerprint fingerprint = new TreeFingerprint(in.readLong(), in.readLong(), in.readInt());
                trees.put(new Key(path, hashName), new TreeValue(fingerprint, in.readUTF()));
            }
        } catch (NoSuchFileException e) {
            // nothing remembered yet
        } catch (IOException | RuntimeException e) {
            // a damaged state file costs a re-hash, never a wrong answer
            trees.clear();
        }
    }

    private void load() {
        try (InputStream stream = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(stream, 1 << 16))) {
            if (in.readInt() != FORMAT) {
                return;
            }
            int count = in.readInt();
            HashName[] names = HashName.values();
            for (int i = 0; i < count; i++) {
                String path = in.readUTF();
                HashName hashName = names[in.readByte()];
                Stat stat = new Stat(in.readLong(), in.readLong(), in.readLong());
                entries.put(new Key(path, hashName), new Value(stat, in.readUTF()));
            }
        } catch (NoSuchFileException e) {
            // first run: nothing remembered yet
        } catch (IOException | RuntimeException e) {
            // a damaged state file costs a re-hash, never a wrong answer
            entries.clear();
        }
    }
}
