package io.axle.data.hash;

import static java.util.Objects.requireNonNull;

import io.axle.data.repo.DataException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * Hashes files and directories the way DVC does, in parallel across files, asking the {@link StateCache} first so an
 * unchanged file is never read twice.
 */
public final class Hasher implements AutoCloseable {
    /** Coarser than any local file system's mtime clock (ext4 and XFS tick in jiffies, at most 10 ms). */
    private static final long TIMESTAMP_GRANULARITY_NANOS = 50_000_000L;

    private final StateCache state;
    private final Progress progress;
    private final ExecutorService pool;

    public Hasher(StateCache state, Progress progress) {
        this(state, progress, Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    public Hasher(StateCache state, Progress progress, int threads) {
        this.state = requireNonNull(state, "state is null");
        this.progress = requireNonNull(progress, "progress is null");
        this.pool = Executors.newFixedThreadPool(
                threads, Thread.ofPlatform().daemon().name("axle-hash-", 0).factory());
    }

    public FileHash hashFile(Path file, HashName hashName) {
        return hash(file, hashName, defaultReader(hashName), false);
    }

    /**
     * Like {@link #hashFile(Path, HashName)} for DVC 3's md5, but a file the state cache does not know is read by
     * {@code reader} (which may copy it on the way). The file must not change while it is read: if its inode, size or
     * mtime moved, the answer is a failure rather than a hash of half old, half new bytes.
     */
    public FileHash hashFile(Path file, Md5Reader reader) {
        return hash(file, HashName.MD5, reader, true);
    }

    private FileHash hash(Path file, HashName hashName, Md5Reader reader, boolean strict) {
        Path absolute = file.toAbsolutePath().normalize();
        long startNanos = System.currentTimeMillis() * 1_000_000L;
        StateCache.Stat stat = StateCache.stat(absolute);
        String md5 = state.lookup(absolute, stat, hashName).orElseGet(() -> {
            String computed = reader.read(absolute, progress);
            boolean unchanged = StateCache.stat(absolute).equals(stat);
            if (!unchanged && strict) {
                throw DataException.failed("'" + absolute + "' changed while it was being read; run the command again"
                        + " once nothing writes to it");
            }
            // a file written in the same timestamp tick as this hash could later look unchanged: not remembered
            if (unchanged && stat.mtimeNanos() < startNanos - TIMESTAMP_GRANULARITY_NANOS) {
                state.record(absolute, stat, hashName, computed);
            }
            return computed;
        });
        progress.fileDone();
        return new FileHash(md5, stat.size(), Files.isExecutable(absolute));
    }

    private static Md5Reader defaultReader(HashName hashName) {
        return switch (hashName) {
            case MD5 -> Md5::ofFile;
            case MD5_DOS2UNIX -> (file, progress) -> Md5.ofFileDos2Unix(file);
        };
    }

    /**
     * Tells the state cache that {@code file}, which this process just wrote from a cache object, holds {@code md5},
     * so the next status does not read it again (DVC's checkout does the same).
     */
    public void remember(Path file, HashName hashName, String md5) {
        Path absolute = file.toAbsolutePath().normalize();
        state.record(absolute, StateCache.stat(absolute), hashName, md5);
    }

    /**
     * Hashes every file under {@code directory} that {@code ignored} lets through (it sees absolute paths of files and
     * directories). Symbolic links to files count as files, as in DVC.
     */
    public TreeHash hashTree(Path directory, Predicate<Path> ignored, HashName hashName) {
        return tree(directory, ignored, file -> hashFile(file, hashName));
    }

    /** Like {@link #hashTree(Path, Predicate, HashName)} for DVC 3's md5, reading unknown files with {@code reader}. */
    public TreeHash hashTree(Path directory, Predicate<Path> ignored, Md5Reader reader) {
        return tree(directory, ignored, file -> hashFile(file, reader));
    }

    private static final int CHUNK = 64;

    private TreeHash tree(Path directory, Predicate<Path> ignored, java.util.function.Function<Path, FileHash> hash) {
        Path root = directory.toAbsolutePath().normalize();
        List<Path> files = listFiles(root, ignored);
        // files go to the threads in chunks: a task and a future per file cost more than a state lookup does
        FileHash[] hashed = new FileHash[files.size()];
        List<Future<?>> chunks = new ArrayList<>();
        for (int start = 0; start < files.size(); start += CHUNK) {
            int from = start;
            int to = Math.min(files.size(), start + CHUNK);
            chunks.add(pool.submit(() -> {
                for (int i = from; i < to; i++) {
                    hashed[i] = hash.apply(files.get(i));
                }
            }));
        }
        chunks.forEach(Hasher::join);
        List<DirManifest.Entry> entries = new ArrayList<>(files.size());
        long size = 0;
        for (int i = 0; i < files.size(); i++) {
            size += hashed[i].size();
            entries.add(new DirManifest.Entry(relpath(root, files.get(i)), hashed[i].md5()));
        }
        DirManifest manifest = new DirManifest(entries);
        return new TreeHash(manifest, manifest.hash(), size, entries.size());
    }

    /** Hashes many files at once; the answer is in the order asked. */
    public List<FileHash> hashFiles(List<Path> files, HashName hashName) {
        List<Future<FileHash>> hashes = new ArrayList<>(files.size());
        for (Path file : files) {
            hashes.add(pool.submit(() -> hashFile(file, hashName)));
        }
        return hashes.stream().map(Hasher::join).toList();
    }

    /** Runs {@code action} on every item on the hashing threads (saving to the cache, linking), and waits. */
    public <T> void forEachParallel(List<T> items, java.util.function.Consumer<T> action) {
        List<Future<?>> futures = new ArrayList<>(items.size());
        for (T item : items) {
            futures.add(pool.submit(() -> action.accept(item)));
        }
        futures.forEach(Hasher::join);
    }

    /** The regular files under {@code root} (sorted walk order is not needed: the manifest sorts itself). */
    public static List<Path> listFiles(Path root, Predicate<Path> ignored) {
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    return !dir.equals(root) && ignored.test(dir)
                            ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if ((attributes.isRegularFile() || (attributes.isSymbolicLink() && Files.isRegularFile(file)))
                            && !ignored.test(file)) {
                        files.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    public static String relpath(Path root, Path file) {
        return root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
    }

    private static <T> T join(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hashing", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
