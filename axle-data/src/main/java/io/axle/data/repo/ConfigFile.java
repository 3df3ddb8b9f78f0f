package io.axle.data.repo;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * DVC's {@code .dvc/config} and {@code .dvc/config.local}: configobj INI with sections such as {@code [core]} and
 * {@code ['remote "name"']}, keys indented by four spaces. Sections and keys keep their order; comment lines are kept
 * with the section they are in; what Axle does not know is written back untouched.
 */
public final class ConfigFile {
    private static final String COMMENTS = "\u0000comments";

    private final Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    private final List<String> leadingComments = new ArrayList<>();

    public static ConfigFile read(Path path) {
        try {
            return parse(Files.readString(path, StandardCharsets.UTF_8), path.toString());
        } catch (NoSuchFileException e) {
            return new ConfigFile();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ConfigFile parse(String text, String name) {
        ConfigFile config = new ConfigFile();
        Map<String, String> current = null;
        int lineNumber = 0;
        for (String raw : text.split("\r?\n", -1)) {
            lineNumber++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                if (!line.isEmpty()) {
                    if (current == null) {
                        config.leadingComments.add(raw);
                    } else {
                        current.merge(COMMENTS + current.size(), raw, (a, b) -> a);
                    }
                }
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]") || line.startsWith("[[")) {
                    throw DataException.config("'" + name + "' line " + lineNumber + ": cannot read section " + line);
                }
                String section = unquote(line.substring(1, line.length() - 1).strip());
                current = config.sections.computeIfAbsent(section, key -> new LinkedHashMap<>());
                continue;
            }
            int equals = line.indexOf('=');
            if (equals <= 0 || current == null) {
                throw DataException.config(
                        "'" + name + "' line " + lineNumber + ": expected 'key = value' in a section");
            }
            String key = unquote(line.substring(0, equals).strip());
            current.put(
                    key, unquote(stripInlineComment(line.substring(equals + 1).strip())));
        }
        return config;
    }

    public List<String> sectionNames() {
        return List.copyOf(sections.keySet());
    }

    /** The keys and values of a section, in file order; empty if there is no such section. */
    public Map<String, String> section(String section) {
        Map<String, String> values = new LinkedHashMap<>();
        sections.getOrDefault(section, Map.of()).forEach((key, value) -> {
            if (!key.startsWith(COMMENTS)) {
                values.put(key, value);
            }
        });
        return values;
    }

    public boolean hasSection(String section) {
        return sections.containsKey(section);
    }

    public Optional<String> get(String section, String key) {
        return Optional.ofNullable(sections.getOrDefault(section, Map.of()).get(key));
    }

    public void set(String section, String key, String value) {
        requireNonNull(value, "value is null");
        sections.computeIfAbsent(section, name -> new LinkedHashMap<>()).put(key, value);
    }

    /** Removes a key; a section left with nothing in it goes too, as DVC leaves none behind. */
    public boolean unset(String section, String key) {
        Map<String, String> values = sections.get(section);
        if (values == null || values.remove(key) == null) {
            return false;
        }
        if (section(section).isEmpty()) {
            sections.remove(section);
        }
        return true;
    }

    public boolean removeSection(String section) {
        return sections.remove(section) != null;
    }

    public String render() {
        StringBuilder text = new StringBuilder();
        leadingComments.forEach(comment -> text.append(comment).append('\n'));
        sections.forEach((section, values) -> {
            text.append('[').append(quote(section)).append("]\n");
            values.forEach((key, value) -> {
                if (key.startsWith(COMMENTS)) {
                    text.append(value).append('\n');
                } else {
                    text.append("    ")
                            .append(quote(key))
                            .append(" = ")
                            .append(quoteValue(value))
                            .append('\n');
                }
            });
        });
        return text.toString();
    }

    public void write(Path path) {
        AtomicFiles.write(path, render().getBytes(StandardCharsets.UTF_8));
    }

    private static String stripInlineComment(String value) {
        if (value.startsWith("\"") || value.startsWith("'")) {
            return value;
        }
        int hash = value.indexOf(" #");
        return hash >= 0 ? value.substring(0, hash).strip() : value;
    }

    private static String unquote(String value) {
        if (value.length() >= 2) {
            char first = value.charAt(0);
            int end = value.lastIndexOf(first);
            if ((first == '"' || first == '\'') && end > 0) {
                return value.substring(1, end);
            }
        }
        return value;
    }

    /** configobj quotes section names and keys holding quotes; {@code remote "x"} becomes {@code 'remote "x"'}. */
    private static String quote(String name) {
        if (name.contains("\"")) {
            return "'" + name + "'";
        }
        if (name.contains("'") || name.contains("#") || name.contains("=") || name.contains("[")) {
            return "\"" + name + "\"";
        }
        return name;
    }

    private static String quoteValue(String value) {
        if (value.isEmpty()) {
            return "\"\"";
        }
        boolean needs = value.contains("#")
                || value.contains(",")
                || value.contains("\"")
                || value.contains("'")
                || !value.equals(value.strip());
        if (!needs) {
            return value;
        }
        return value.contains("\"") ? "'" + value + "'" : "\"" + value + "\"";
    }
}
