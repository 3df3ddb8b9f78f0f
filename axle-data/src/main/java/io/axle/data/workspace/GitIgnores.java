package io.axle.data.workspace;

import io.axle.data.repo.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code .gitignore} entry DVC writes beside each output: {@code /name} in the output's directory. */
public final class GitIgnores {
    private GitIgnores() {}

    /** Adds {@code /name} for {@code output}; returns the {@code .gitignore} if it had to change. */
    public static boolean ignore(Path output) {
        Path gitignore = output.getParent().resolve(".gitignore");
        String entry = "/" + escape(output.getFileName().toString());
        try {
            String text = Files.exists(gitignore) ? Files.readString(gitignore, StandardCharsets.UTF_8) : "";
            if (text.lines().anyMatch(line -> line.strip().equals(entry))) {
                return false;
            }
            String separator = text.isEmpty() || text.endsWith("\n") ? "" : "\n";
            AtomicFiles.write(gitignore, (text + separator + entry + "\n").getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The characters DVC escapes (pathspec's {@code GitWildMatchPattern.escape}), so Git reads the name literally. */
    private static String escape(String name) {
        StringBuilder escaped = new StringBuilder();
        for (char c : name.toCharArray()) {
            if ("[]!*#?".indexOf(c) >= 0) {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
