package io.axle.data.repo;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@code .dvcignore} at the repository root, with the gitignore patterns people write: {@code name}, {@code *.tmp},
 * {@code dir/}, {@code /anchored}, {@code a/**\/b}, {@code !negation}, comments. {@code .git}, {@code .hg} and {@code .dvc}
 * are always ignored, at any depth, as in DVC. Nested {@code .dvcignore} files are not read.
 */
public final class DvcIgnore implements Predicate<Path> {
    private record Rule(Pattern pattern, boolean negated, boolean directoryOnly) {}

    private final boolean hasDirectoryRules;

    private final Path root;
    private final String rootPrefix;
    private final List<Rule> rules;

    private DvcIgnore(Path root, List<Rule> rules) {
        this.root = requireNonNull(root, "root is null");
        String rootString = root.toString();
        this.rootPrefix =
                rootString.endsWith(java.io.File.separator) ? rootString : rootString + java.io.File.separator;
        this.rules = List.copyOf(rules);
        this.hasDirectoryRules = rules.stream().anyMatch(Rule::directoryOnly);
    }

    public static DvcIgnore load(Path root) {
        try {
            return parse(root, Files.readAllLines(root.resolve(".dvcignore")));
        } catch (NoSuchFileException e) {
            return parse(root, List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static DvcIgnore parse(Path root, List<String> lines) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : lines) {
            String line = raw.stripTrailing();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean negated = line.startsWith("!");
            if (negated) {
                line = line.substring(1);
            }
            boolean directoryOnly = line.endsWith("/");
            if (directoryOnly) {
                line = line.substring(0, line.length() - 1);
            }
            // a pattern with a slash other than at its end is relative to the root; one without matches at any depth
            boolean anchored = line.contains("/");
            if (line.startsWith("/")) {
                line = line.substring(1);
            }
            String regex = (anchored ? "" : "(?:.*/)?") + globToRegex(line);
            rules.add(new Rule(Pattern.compile(regex), negated, directoryOnly));
        }
        return new DvcIgnore(root.toAbsolutePath().normalize(), rules);
    }

    /** Whether {@code path} (absolute, or relative to the root) is ignored, itself or by an ignored parent. */
    @Override
    public boolean test(Path path) {
        Path absolute = root.resolve(path);
        String full = absolute.toString();
        // a walk hands over normalised absolute paths under the root: those are split as strings, without a Path
        // per component; anything else is normalised first
        if (!full.startsWith(rootPrefix) || full.contains("/.")) {
            absolute = absolute.normalize();
            if (!absolute.startsWith(root) || absolute.equals(root)) {
                return false;
            }
            full = absolute.toString();
            if (!full.startsWith(rootPrefix)) {
                return false;
            }
        }
        String relative = full.substring(rootPrefix.length()).replace(java.io.File.separatorChar, '/');
        int start = 0;
        while (true) {
            int slash = relative.indexOf('/', start);
            int end = slash < 0 ? relative.length() : slash;
            // DVC's built-in patterns .git, .hg/ and .dvc/ have no slash before them: they match at any depth
            if (isBuiltIn(relative, start, end)) {
                return true;
            }
            if (!rules.isEmpty()) {
                // a stat per file only where a rule asks for directories
                boolean directory = slash >= 0 || (hasDirectoryRules && Files.isDirectory(absolute));
                if (matches(relative.substring(0, end), directory)) {
                    return true;
                }
            }
            if (slash < 0) {
                return false;
            }
            start = slash + 1;
        }
    }

    private static boolean isBuiltIn(String relative, int start, int end) {
        int length = end - start;
        return (length == 4 && (relative.startsWith(".git", start) || relative.startsWith(".dvc", start)))
                || (length == 3 && relative.startsWith(".hg", start));
    }

    private boolean matches(String relative, boolean directory) {
        boolean ignored = false;
        for (Rule rule : rules) {
            if (rule.directoryOnly && !directory) {
                continue;
            }
            if (rule.pattern.matcher(relative).matches()) {
                ignored = !rule.negated;
            }
        }
        return ignored;
    }

    private static String globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    boolean slashAfter = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
                    regex.append(slashAfter ? "(?:.*/)?" : ".*");
                    i += slashAfter ? 2 : 1;
                } else {
                    regex.append("[^/]*");
                }
            } else if (c == '?') {
                regex.append("[^/]");
            } else if (c == '[') {
                int end = glob.indexOf(']', i + 1);
                if (end < 0) {
                    regex.append("\\[");
                } else {
                    String set = glob.substring(i + 1, end).replace("\\", "\\\\");
                    regex.append('[')
                            .append(set.startsWith("!") ? "^" + set.substring(1) : set)
                            .append(']');
                    i = end;
                }
            } else if (c == '\\' && i + 1 < glob.length()) {
                regex.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }
}
