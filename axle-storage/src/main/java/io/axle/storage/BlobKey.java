package io.axle.storage;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The name of a blob: a relative POSIX path such as {@code 12/3f9c/artifacts/model/MLmodel}. Segments are separated
 * by {@code /}; none is empty, {@code .} or {@code ..}, and no key holds a backslash or a control character, so a key
 * means the same thing on a local disk and in an S3 bucket and can never climb out of a store. The empty key,
 * {@link #ROOT}, names the top of a store and is only listed, never read or written.
 */
public record BlobKey(String path) implements Comparable<BlobKey> {
    public static final BlobKey ROOT = new BlobKey("");

    /** S3's limit on the length of an object key. */
    public static final int MAX_KEY_BYTES = 1024;

    /** The limit most file systems put on one name. */
    public static final int MAX_SEGMENT_BYTES = 255;

    public BlobKey {
        requireNonNull(path, "path is null");
        problemWith(path).ifPresent(problem -> {
            throw AxleException.invalidParameter("Invalid path '" + printable(path) + "': " + problem);
        });
    }

    public static BlobKey of(String path) {
        return new BlobKey(path);
    }

    /** Why {@code path} is not a valid key, or empty when it is one. */
    public static Optional<String> problemWith(String path) {
        if (path.isEmpty()) {
            return Optional.empty();
        }
        if (path.startsWith("/")) {
            return Optional.of("absolute paths are not allowed; give a path relative to the store");
        }
        for (int index = 0; index < path.length(); index++) {
            char character = path.charAt(index);
            if (character == '\\') {
                return Optional.of("backslashes are not allowed; separate segments with '/'");
            }
            if (character == 0) {
                return Optional.of("NUL characters are not allowed");
            }
            if (Character.isISOControl(character)) {
                return Optional.of("control characters are not allowed");
            }
        }
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(path)) {
            return Optional.of("it is not valid Unicode");
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            return Optional.of("it is longer than " + MAX_KEY_BYTES + " bytes");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty()) {
                return Optional.of("empty segments ('//' or a trailing '/') are not allowed");
            }
            if (segment.equals(".") || segment.equals("..")) {
                return Optional.of("'.' and '..' segments are not allowed");
            }
            if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                return Optional.of("the segment '" + segment.substring(0, 20) + "...' is longer than "
                        + MAX_SEGMENT_BYTES + " bytes");
            }
        }
        return Optional.empty();
    }

    public boolean isRoot() {
        return path.isEmpty();
    }

    public List<String> segments() {
        return isRoot() ? List.of() : Arrays.asList(path.split("/"));
    }

    /** The last segment: the file name of a blob; empty for the root. */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The key one level up; empty for the root. */
    public Optional<BlobKey> parent() {
        if (isRoot()) {
            return Optional.empty();
        }
        int slash = path.lastIndexOf('/');
        return Optional.of(slash < 0 ? ROOT : new BlobKey(path.substring(0, slash)));
    }

    public BlobKey resolve(BlobKey relative) {
        if (isRoot()) {
            return relative;
        }
        return relative.isRoot() ? this : new BlobKey(path + "/" + relative.path);
    }

    public BlobKey resolve(String relative) {
        return resolve(new BlobKey(relative));
    }

    /** Whether this key is {@code prefix} or lies under it. */
    public boolean startsWith(BlobKey prefix) {
        return prefix.isRoot() || path.equals(prefix.path) || path.startsWith(prefix.path + "/");
    }

    @Override
    public int compareTo(BlobKey other) {
        return path.compareTo(other.path);
    }

    @Override
    public String toString() {
        return path;
    }

    /** {@code text} fit for an error message: control characters escaped, long paths shortened. */
    public static String printable(String text) {
        StringBuilder shown = new StringBuilder();
        text.codePoints().limit(200).forEach(codePoint -> {
            if (Character.isISOControl(codePoint)) {
                shown.append(String.format("\\u%04x", codePoint));
            } else {
                shown.appendCodePoint(codePoint);
            }
        });
        return text.codePointCount(0, text.length()) > 200 ? shown + "..." : shown.toString();
    }
}
