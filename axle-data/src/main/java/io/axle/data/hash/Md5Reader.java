package io.axle.data.hash;

import java.nio.file.Path;

/**
 * Reads a whole file and answers its md5. The plain one is {@link Md5#ofFile(Path, Progress)}; {@code add} passes
 * one that saves the file to the cache in the same pass, so new data is read once.
 */
@FunctionalInterface
public interface Md5Reader {
    String read(Path file, Progress progress);
}
