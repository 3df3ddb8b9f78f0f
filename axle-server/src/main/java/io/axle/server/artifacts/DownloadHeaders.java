package io.axle.server.artifacts;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The headers of an artifact download, as MLflow's server sets them: a content type guessed from the file name (text
 * files as {@code text/plain}, else by extension, else {@code application/octet-stream}) and an attachment
 * disposition, so that browsers save artifacts instead of rendering them on the server's origin.
 */
final class DownloadHeaders {
    private static final Set<String> TEXT_EXTENSIONS = Set.of(
            "txt",
            "log",
            "err",
            "cfg",
            "conf",
            "cnf",
            "cf",
            "ini",
            "properties",
            "prop",
            "hocon",
            "toml",
            "yaml",
            "yml",
            "xml",
            "json",
            "js",
            "py",
            "py3",
            "csv",
            "tsv",
            "md",
            "rst",
            "MLmodel",
            "MLproject");

    /** Suffixes that only say how the file is compressed; the type is that of what is left. */
    private static final Set<String> ENCODINGS = Set.of(".gz", ".Z", ".bz2", ".xz", ".br");

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry(".avi", "video/x-msvideo"),
            Map.entry(".bin", "application/octet-stream"),
            Map.entry(".bmp", "image/bmp"),
            Map.entry(".css", "text/css"),
            Map.entry(".csv", "text/csv"),
            Map.entry(".doc", "application/msword"),
            Map.entry(".gif", "image/gif"),
            Map.entry(".h5", "application/x-hdf5"),
            Map.entry(".htm", "text/html"),
            Map.entry(".html", "text/html"),
            Map.entry(".ico", "image/vnd.microsoft.icon"),
            Map.entry(".jpe", "image/jpeg"),
            Map.entry(".jpeg", "image/jpeg"),
            Map.entry(".jpg", "image/jpeg"),
            Map.entry(".js", "text/javascript"),
            Map.entry(".json", "application/json"),
            Map.entry(".md", "text/markdown"),
            Map.entry(".mjs", "text/javascript"),
            Map.entry(".mov", "video/quicktime"),
            Map.entry(".mp3", "audio/mpeg"),
            Map.entry(".mp4", "video/mp4"),
            Map.entry(".mpeg", "video/mpeg"),
            Map.entry(".mpg", "video/mpeg"),
            Map.entry(".nc", "application/x-netcdf"),
            Map.entry(".pdf", "application/pdf"),
            Map.entry(".png", "image/png"),
            Map.entry(".ppt", "application/vnd.ms-powerpoint"),
            Map.entry(".ps", "application/postscript"),
            Map.entry(".pyc", "application/x-python-code"),
            Map.entry(".rtf", "text/rtf"),
            Map.entry(".sh", "application/x-sh"),
            Map.entry(".so", "application/octet-stream"),
            Map.entry(".svg", "image/svg+xml"),
            Map.entry(".tar", "application/x-tar"),
            Map.entry(".tgz", "application/x-tar"),
            Map.entry(".tif", "image/tiff"),
            Map.entry(".tiff", "image/tiff"),
            Map.entry(".txt", "text/plain"),
            Map.entry(".wasm", "application/wasm"),
            Map.entry(".wav", "audio/x-wav"),
            Map.entry(".webm", "video/webm"),
            Map.entry(".webp", "image/webp"),
            Map.entry(".xls", "application/vnd.ms-excel"),
            Map.entry(".xml", "text/xml"),
            Map.entry(".zip", "application/zip"));

    /** A file name that needs no quoting in a header. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9!#$&+.^_`|~-]+");

    private DownloadHeaders() {}

    static String contentType(String fileName) {
        String extension = suffixOf(fileName);
        // MLmodel, MLproject: no extension, so the name itself is checked
        if (TEXT_EXTENSIONS.contains(extension.isEmpty() ? fileName : extension.substring(1))) {
            return "text/plain";
        }
        if (ENCODINGS.contains(extension)) {
            extension = suffixOf(fileName.substring(0, fileName.length() - extension.length()));
        }
        String type = TYPES.getOrDefault(extension, TYPES.get(extension.toLowerCase(Locale.ROOT)));
        return type == null ? "application/octet-stream" : type;
    }

    /** The extension with its dot, or empty; a leading dot (a hidden file) starts no extension. */
    private static String suffixOf(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(dot) : "";
    }

    static String contentDisposition(String fileName) {
        if (TOKEN.matcher(fileName).matches()) {
            return "attachment; filename=" + fileName;
        }
        String fallback = fileName.replaceAll("[^A-Za-z0-9!#$&+.^_`|~ -]", "_");
        String encoded = URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
        return "attachment; filename=\"" + fallback + "\"; filename*=UTF-8''" + encoded;
    }
}
