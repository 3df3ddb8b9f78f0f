package io.axle.data.hash;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.data.repo.DataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A directory's {@code .dir} object: the files under it (empty directories left out) as {@code relpath} with '/' and
 * their md5. The bytes are exactly what DVC's {@code json.dumps(..., sort_keys=True)} writes, so the directory hash
 * ({@link #hash()}) is the one DVC records.
 */
public record DirManifest(List<Entry> entries) {
    /** Python sorts strings by code point; Java's {@code compareTo} sorts by UTF-16 unit, which differs above the BMP. */
    public static final Comparator<String> CODE_POINT_ORDER = DirManifest::compareCodePoints;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.HexFormat HEX = java.util.HexFormat.of();

    public record Entry(String relpath, String md5) {
        public Entry {
            requireNonNull(relpath, "relpath is null");
            requireNonNull(md5, "md5 is null");
        }
    }

    public DirManifest {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(Entry::relpath, CODE_POINT_ORDER));
        entries = List.copyOf(sorted);
    }

    /** The directory hash DVC records: md5 of the manifest bytes, then {@code .dir}. */
    public String hash() {
        return Md5.ofBytes(toBytes()) + ".dir";
    }

    public byte[] toBytes() {
        StringBuilder json = new StringBuilder(entries.size() * 80 + 2).append('[');
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            if (i > 0) {
                json.append(", ");
            }
            json.append("{\"md5\": ");
            appendPythonString(json, entry.md5());
            json.append(", \"relpath\": ");
            appendPythonString(json, entry.relpath());
            json.append('}');
        }
        return json.append(']').toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads a {@code .dir} object; keys other than md5 and relpath (DVC may add size or isexec) are ignored. */
    public static DirManifest parse(byte[] bytes) {
        try {
            JsonNode root = JSON.readTree(bytes);
            if (root == null || !root.isArray()) {
                throw new DataException(DataException.Kind.OTHER, "a .dir object is not a JSON list");
            }
            List<Entry> entries = new ArrayList<>(root.size());
            for (JsonNode item : root) {
                JsonNode relpath = item.get("relpath");
                JsonNode md5 = item.get("md5");
                if (relpath == null || md5 == null) {
                    throw new DataException(DataException.Kind.OTHER, "a .dir entry lacks relpath or md5: " + item);
                }
                entries.add(new Entry(relpath.asText(), md5.asText()));
            }
            return new DirManifest(entries);
        } catch (IOException e) {
            throw new DataException(DataException.Kind.OTHER, "a .dir object is not valid JSON: " + e.getMessage(), e);
        }
    }

    public int nfiles() {
        return entries.size();
    }

    static int compareCodePoints(String left, String right) {
        int length = Math.min(left.length(), right.length());
        for (int i = 0; i < length; i++) {
            char a = left.charAt(i);
            char b = right.charAt(i);
            if (a != b) {
                // UTF-16 order is code-point order except that surrogates (D800-DFFF, which encode code points
                // above FFFF) sort before E000-FFFF: lift them above, and the first differing unit decides
                return codePointRank(a) - codePointRank(b);
            }
        }
        return left.length() - right.length();
    }

    private static int codePointRank(char unit) {
        if (unit < 0xD800) {
            return unit;
        }
        return unit >= 0xE000 ? unit - 0x800 : unit + 0x2000;
    }

    /** Python's {@code json.dumps} with {@code ensure_ascii}: non-ASCII as lowercase {@code \\uXXXX} per UTF-16 unit. */
    private static void appendPythonString(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append("\\u").append(HEX.toHexDigits(c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
