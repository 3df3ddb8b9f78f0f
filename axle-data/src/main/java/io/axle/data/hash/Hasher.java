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
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.function.Predicate;

/**
 * Hashes files and directories the way DVC does, in parallel across files, asking the {@link StateCache} first so an
 * unchanged file is never read twice.
 */
public final class Hasher implements AutoCloseable {
    /** Coarser than any local file system's mtime clock (ext4 and XFS tick in jiffies, at most 10 ms). */
    public static final long TIMESTAMP_GRANULARITY_NANOS = 50_000_000L;

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
        Hashed hashed = hashed(file, hashName, reader, strict);
        FileHash hash = hashed.hash();
        return new FileHash(hash.md5(), hash.size(), Files.isExecutable(file.toAbsolutePath()));
    }

    /** A file's hash with the mtime its stat had when it was hashed. */
    private record Hashed(FileHash hash, long mtimeNanos) {}

    private Hashed hashed(Path file, HashName hashName, Md5Reader reader, boolean strict) {
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
        // a directory's manifest has no executable bit: only single files ask for it (one access(2) each)
        return new Hashed(new FileHash(md5, stat.size(), false), stat.mtimeNanos());
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
        Path root = directory.toAbsolutePath().normalize();
        return tree(root, walk(root, ignored), hashName, defaultReader(hashName), false);
    }

    /** Like {@link #hashTree(Path, Predicate, HashName)} for DVC 3's md5, reading unknown files with {@code reader}. */
    public TreeHash hashTree(Path directory, Predicate<Path> ignored, Md5Reader reader) {
        Path root = directory.toAbsolutePath().normalize();
        return tree(root, walk(root, ignored), HashName.MD5, reader, true);
    }

    /**
     * Only the {@code .dir} hash of {@code directory}, as {@code status} needs it: when the walk finds every file as the
     * state cache last saw the whole tree (same paths, inodes, mtimes and sizes), the remembered hash is the answer and
     * no file's state, no manifest and no byte is read.
     */
    public String treeMd5(Path directory, Predicate<Path> ignored, HashName hashName) {
        Path root = directory.toAbsolutePath().normalize();
        Listing listing = walk(root, ignored);
        if (listing.fingerprint() != null) {
            Optional<String> known = state.lookupTree(root, hashName, listing.fingerprint());
            if (known.isPresent()) {
                return known.get();
            }
        }
        return tree(root, listing, hashName, defaultReader(hashName), false).md5();
    }

    private static final int CHUNK = 64;

    private TreeHash tree(Path root, Listing listing, HashName hashName, Md5Reader reader, boolean strict) {
        long startNanos = listing.startNanos();
        List<Path> files = listing.files();
        // files go to the threads in chunks: a task and a future per file cost more than a state lookup does
        FileHash[] hashed = new FileHash[files.size()];
        LongAccumulator newest = new LongAccumulator(Math::max, Long.MIN_VALUE);
        List<Future<?>> chunks = new ArrayList<>();
        for (int start = 0; start < files.size(); start += CHUNK) {
            int from = start;
            int to = Math.min(files.size(), start + CHUNK);
            chunks.add(pool.submit(() -> {
                for (int i = from; i < to; i++) {
                    Hashed each = hashed(files.get(i), hashName, reader, strict);
                    hashed[i] = each.hash();
                    newest.accumulate(each.mtimeNanos());
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
        TreeHash tree = new TreeHash(manifest, manifest.hash(), size, entries.size());
        // as for single files: a tree whose newest file was written in the tick of this walk is not remembered, and
        // a file that changed between the walk and its hashing has a new mtime after the walk began
        long tick = startNanos - TIMESTAMP_GRANULARITY_NANOS;
        if (listing.fingerprint() != null && listing.newestNanos() < tick && newest.get() < tick) {
            state.recordTree(root, hashName, listing.fingerprint(), tree.md5());
        }
        return tree;
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

    /** Runs {@code action} over {@code [0, count)} in chunks on the hashing threads, and waits. */
    public void forEachChunk(int count, java.util.function.BiConsumer<Integer, Integer> action) {
        int chunk = Math.max(CHUNK, 1024);
        List<Future<?>> futures = new ArrayList<>();
        for (int start = 0; start < count; start += chunk) {
            int from = start;
            int to = Math.min(count, start + chunk);
            futures.add(pool.submit(() -> action.accept(from, to)));
        }
        futures.forEach(Hasher::join);
    }

    /** The regular files under {@code root} (sorted walk order is not needed: the manifest sorts itself). */
    public static List<Path> listFiles(Path root, Predicate<Path> ignored) {
        return walk(root, ignored).files();
    }

    /**
     * One walk's files, with their fingerprint ({@code null} when the tree holds a symbolic link, whose target the walk
     * does not see) and the newest mtime seen; {@code startNanos} is the wall clock before the walk began.
     */
    private record Listing(List<Path> files, TreeFingerprint fingerprint, long newestNanos, long startNanos) {}

    private static Listing walk(Path root, Predicate<Path> ignored) {
        long startNanos = System.currentTimeMillis() * 1_000_000L;
        List<Path> files = new ArrayList<>();
        TreeFingerprint.Builder fingerprint = new TreeFingerprint.Builder();
        boolean[] linked = {false};
        long[] newest = {Long.MIN_VALUE};
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
                    if (attributes.isRegularFile() && !ignored.test(file)) {
                        files.add(file);
                        fingerprint.add(file, attributes);
                        newest[0] = Math.max(
                                newest[0], attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS));
                    } else if (attributes.isSymbolicLink() && Files.isRegularFile(file) && !ignored.test(file)) {
                        files.add(file);
                        linked[0] = true;
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Listing(files, linked[0] ? null : fingerprint.build(), newest[0], startNanos);
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
