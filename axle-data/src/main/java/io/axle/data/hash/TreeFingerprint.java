package io.axle.data.hash;

import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * An order-independent 128-bit digest of the files of a directory as a walk saw them: each file's path, inode, mtime
 * (nanoseconds) and size. Any file added, removed, renamed, replaced or written changes it, so an equal fingerprint
 * means the directory's {@code .dir} hash is the one remembered. Two sums of differently mixed per-file values (and the
 * count) make an accidental match as unlikely as in the per-file state, which trusts (inode, mtime, size) alone.
 */
public record TreeFingerprint(long low, long high, int files) {
    /** Accumulates a fingerprint during one walk (single-threaded). */
    public static final class Builder {
        private long low;
        private long high;
        private int files;

        public void add(Path file, BasicFileAttributes attributes) {
            String path = file.toString();
            long hash = 0xcbf29ce484222325L;
            for (int i = 0; i < path.length(); i++) {
                hash = (hash ^ path.charAt(i)) * 0x100000001b3L;
            }
            Object key = attributes.fileKey();
            long entry = mix(hash);
            entry = mix(entry ^ (key == null ? 0 : key.hashCode()));
            entry = mix(entry ^ attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS));
            entry = mix(entry ^ attributes.size());
            low += entry;
            high += mix(entry ^ 0x9e3779b97f4a7c15L);
            files++;
        }

        public TreeFingerprint build() {
            return new TreeFingerprint(low, high, files);
        }
    }

    /** SplitMix64's finaliser: every input bit moves about half of the output bits. */
    private static long mix(long value) {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
