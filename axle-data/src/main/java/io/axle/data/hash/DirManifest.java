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
        // a manifest read back from the cache is sorted already: checking costs n comparisons, sorting n log n
        if (isSorted(entries)) {
            entries = List.copyOf(entries);
        } else {
            List<Entry> sorted = new ArrayList<>(entries);
            sorted.sort(Comparator.comparing(Entry::relpath, CODE_POINT_ORDER));
            entries = List.copyOf(sorted);
        }
    }

    private static boolean isSorted(List<Entry> entries) {
        for (int i = 1; i < entries.size(); i++) {
            if (compareCodePoints(entries.get(i - 1).relpath(), entries.get(i).relpath()) > 0) {
                return false;
            }
        }
        return true;
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
        List<Entry> fast = parseAsWritten(bytes);
        if (fast != null) {
            return new DirManifest(fast);
        }
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

    /**
     * Reads a manifest in exactly the form {@link #toBytes()} and DVC write ({@code [{"md5": "...", "relpath": "..."},
     * ...]}, ASCII, no escapes in the strings) without building a JSON tree; {@code null} for anything else, which the
     * general JSON reader then takes.
     */
    private static List<Entry> parseAsWritten(byte[] bytes) {
        byte[] md5Key = "{\"md5\": \"".getBytes(StandardCharsets.US_ASCII);
        byte[] relpathKey = "\", \"relpath\": \"".getBytes(StandardCharsets.US_ASCII);
        int n = bytes.length;
        if (n < 2 || bytes[0] != '[' || bytes[n - 1] != ']') {
            return null;
        }
        List<Entry> entries = new ArrayList<>();
        int i = 1;
        while (i < n - 1) {
            if (!entries.isEmpty()) {
                if (i + 2 > n - 1 || bytes[i] != ',' || bytes[i + 1] != ' ') {
                    return null;
                }
                i += 2;
            }
            if (!startsWith(bytes, i, md5Key)) {
                return null;
            }
            i += md5Key.length;
            int md5End = i + 32;
            if (md5End > n) {
                return null;
            }
            for (int j = i; j < md5End; j++) {
                byte b = bytes[j];
                if (!((b >= '0' && b <= '9') || (b >= 'a' && b <= 'f'))) {
                    return null;
                }
            }
            String md5 = new String(bytes, i, 32, StandardCharsets.US_ASCII);
            i = md5End;
            if (!startsWith(bytes, i, relpathKey)) {
                return null;
            }
            i += relpathKey.length;
            int end = i;
            while (end < n && bytes[end] != '"') {
                byte b = bytes[end];
                if (b == '\\' || b < 0x20 || b > 0x7e) {
                    return null;
                }
                end++;
            }
            if (end + 1 >= n || bytes[end + 1] != '}') {
                return null;
            }
            entries.add(new Entry(new String(bytes, i, end - i, StandardCharsets.US_ASCII), md5));
            i = end + 2;
        }
        return entries;
    }

    private static boolean startsWith(byte[] bytes, int offset, byte[] prefix) {
        if (offset + prefix.length > bytes.length) {
            return false;
        }
        for (int k = 0; k < prefix.length; k++) {
            if (bytes[offset + k] != prefix[k]) {
                return false;
            }
        }
        return true;
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
