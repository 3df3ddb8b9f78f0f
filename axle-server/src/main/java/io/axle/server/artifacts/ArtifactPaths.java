package io.axle.server.artifacts;

import io.axle.common.AxleException;
import io.axle.storage.BlobKey;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Artifact paths as clients send them, checked the way MLflow's server checks them before they touch a store: also
 * once fully percent-decoded (so {@code %2e%2e} is {@code ..}), without {@code #} and without a Windows drive.
 */
final class ArtifactPaths {
    private static final Pattern WINDOWS_DRIVE = Pattern.compile("^[A-Za-z]:");
    private static final int MAX_DECODING_ROUNDS = 8;

    private ArtifactPaths() {}

    /** The key of the file at {@code path}. */
    static BlobKey file(String path) {
        if (path.isEmpty()) {
            throw AxleException.invalidParameter("Invalid path '': name an artifact");
        }
        return parse(path);
    }

    /** The key of the directory at {@code path}; the empty path is the top, and trailing slashes are ignored. */
    static BlobKey directory(String path) {
        String trimmed = path;
        while (trimmed.length() > 1 && trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return parse(trimmed);
    }

    private static BlobKey parse(String path) {
        String decoded = fullyDecoded(path);
        Optional<String> problem = BlobKey.problemWith(path)
                .or(() -> BlobKey.problemWith(decoded).map(reason -> reason + " (once percent-decoded)"))
                .or(() -> decoded.contains("#") ? Optional.of("'#' is not allowed") : Optional.empty())
                .or(() -> WINDOWS_DRIVE.matcher(decoded).find()
                        ? Optional.of("Windows drive paths are not allowed")
                        : Optional.empty());
        if (problem.isPresent()) {
            throw AxleException.invalidParameter("Invalid path '" + BlobKey.printable(path) + "': " + problem.get());
        }
        return BlobKey.of(path);
    }

    /** {@code path} with percent-escapes decoded until none is left, as MLflow decodes before it validates. */
    static String fullyDecoded(String path) {
        String current = path;
        for (int round = 0; round < MAX_DECODING_ROUNDS; round++) {
            String next = percentDecoded(current);
            if (next.equals(current)) {
                return current;
            }
            current = next;
        }
        return current;
    }

    /** One round of percent-decoding as UTF-8; unlike form decoding, {@code +} stays {@code +}. */
    private static String percentDecoded(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);
        for (int index = 0; index < raw.length; index++) {
            if (raw[index] == '%' && index + 2 < raw.length && isHex(raw[index + 1]) && isHex(raw[index + 2])) {
                bytes.write(HexFormat.fromHexDigits(new String(raw, index + 1, 2, StandardCharsets.US_ASCII)));
                index += 2;
            } else {
                bytes.write(raw[index]);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(byte character) {
        return Character.digit(character, 16) >= 0;
    }
}
