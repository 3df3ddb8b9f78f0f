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

    private final Path file;
    private final Map<Key, Value> entries = new ConcurrentHashMap<>();
    private volatile boolean dirty;

    private StateCache(Path file) {
        this.file = file;
    }

    /** A state cache kept in {@code file}; nothing is written until {@link #save()}. */
    public static StateCache open(Path file) {
        StateCache state = new StateCache(requireNonNull(file, "file is null"));
        state.load();
        return state;
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
        Value value = entries.get(new Key(path.toString(), hashName));
        return value != null && value.stat.equals(stat) ? Optional.of(value.md5) : Optional.empty();
    }

    /**
     * Remembers {@code md5} for a file as {@code stat} saw it. Callers record only files whose mtime is older than the
     * moment they started hashing (see {@link Hasher}), so a write during hashing can never hide behind an equal mtime.
     */
    public void record(Path path, Stat stat, HashName hashName, String md5) {
        Value value = new Value(stat, md5);
        Value previous = entries.put(new Key(path.toString(), hashName), value);
        if (!value.equals(previous)) {
            dirty = true;
        }
    }

    /** Writes the cache to its file (to a temporary file, then renamed) if anything was learned. */
    public void save() {
        if (file == null || !dirty) {
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
