package io.axle.server.ui;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.server.artifacts.ArtifactDownload;
import io.axle.server.artifacts.FileInfo;
import io.axle.server.tracking.RunInfo;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A run's artifacts: directories with breadcrumbs, a preview of a file (text, pretty JSON, images), and the file's
 * bytes, served so that nothing an artifact holds can run as a page of this server.
 */
public final class ArtifactBrowserPage {
    /** How much of a file a preview shows. */
    static final int PREVIEW_BYTES = 256 * 1024;

    /** The only types served inline: images a browser cannot run. */
    private static final Map<String, String> INLINE_IMAGES = Map.of(
            "png", "image/png", "jpg", "image/jpeg", "jpeg", "image/jpeg", "gif", "image/gif", "webp", "image/webp");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final UiServices services;
    private final Pages pages;

    ArtifactBrowserPage(UiServices services, Pages pages) {
        this.services = requireNonNull(services, "services is null");
        this.pages = requireNonNull(pages, "pages is null");
    }

    void register(RoutesConfig routes) {
        routes.get("/runs/{id}/artifacts", pages.page(this::browse));
        routes.get("/runs/{id}/artifacts/view", pages.page(this::view));
        routes.get("/runs/{id}/artifacts/raw", pages.page(this::raw));
    }

    /** A link in a breadcrumb trail. */
    public record Crumb(String label, String href) {}

    /** What a file's preview shows: text (JSON already pretty), an image, or nothing but the download link. */
    public enum Preview {
        TEXT,
        JSON,
        IMAGE,
        NONE
    }

    /** The artifact browser: a directory's listing, or a file's preview. */
    public record View(
            Chrome chrome,
            RunInfo run,
            String path,
            List<Crumb> crumbs,
            boolean file,
            List<FileInfo> files,
            Preview preview,
            String text,
            boolean truncated,
            long size) {
        public String runName() {
            return run.runName().isEmpty() ? Fmt.shortId(run.runId()) : run.runName();
        }

        public String link(FileInfo info) {
            return ArtifactBrowserPage.link(run.runId(), info.path());
        }

        public String baseName(FileInfo info) {
            return ArtifactBrowserPage.baseName(info.path());
        }

        public String raw() {
            return "/runs/" + Fmt.seg(run.runId()) + "/artifacts/raw?path=" + Fmt.q(path);
        }

        public String download() {
            return raw() + "&download=1";
        }
    }

    private void browse(Context ctx) throws IOException {
        RunInfo run = services.runs().get(ctx.pathParam("id")).info();
        String path = path(ctx, false);
        List<FileInfo> files = services.artifacts().listRun(run.runId(), path).files();
        if (files.isEmpty() && !path.isEmpty()) {
            // a listing of a file is empty: show the file if there is one
            preview(ctx, run, path);
            return;
        }
        render(ctx, run, path, false, sorted(files), Preview.NONE, "", false, 0);
    }

    private void view(Context ctx) throws IOException {
        RunInfo run = services.runs().get(ctx.pathParam("id")).info();
        preview(ctx, run, path(ctx, true));
    }

    private void preview(Context ctx, RunInfo run, String path) throws IOException {
        ArtifactDownload download = open(run.runId(), path);
        try (var content = download.content()) {
            long size = download.content().info().size();
            String extension = extension(download.fileName());
            if (INLINE_IMAGES.containsKey(extension)) {
                render(ctx, run, path, true, List.of(), Preview.IMAGE, "", false, size);
                return;
            }
            byte[] head = content.stream().readNBytes(PREVIEW_BYTES);
            boolean truncated = size > head.length;
            Optional<String> text = text(head, truncated);
            if (text.isEmpty()) {
                render(ctx, run, path, true, List.of(), Preview.NONE, "", false, size);
                return;
            }
            if (!truncated
                    && (extension.equals("json") || download.contentType().equals("application/json"))) {
                Optional<String> pretty = pretty(text.get());
                if (pretty.isPresent()) {
                    render(ctx, run, path, true, List.of(), Preview.JSON, pretty.get(), false, size);
                    return;
                }
            }
            render(ctx, run, path, true, List.of(), Preview.TEXT, text.get(), truncated, size);
        }
    }

    private void raw(Context ctx) throws IOException {
        RunInfo run = services.runs().get(ctx.pathParam("id")).info();
        String path = path(ctx, true);
        boolean download = "1".equals(ctx.queryParam("download"));
        ArtifactDownload artifact = open(run.runId(), path);
        String image = INLINE_IMAGES.get(extension(artifact.fileName()));
        ctx.disableCompression();
        Pages.securityHeaders(ctx);
        ctx.header("Content-Security-Policy", "default-src 'none'; sandbox");
        ctx.header("Cache-Control", "private, no-cache");
        if (image != null && !download) {
            ctx.contentType(image);
            ctx.header("Content-Disposition", disposition("inline", artifact.fileName()));
        } else {
            ctx.contentType(image != null ? image : servedType(artifact.contentType()));
            ctx.header("Content-Disposition", disposition("attachment", artifact.fileName()));
        }
        ctx.res().setContentLengthLong(artifact.content().info().size());
        InputStream stream = artifact.content().stream();
        ctx.result(stream);
    }

    /** The type a downloaded file is sent as: never one a browser would render as a page or run as a script. */
    static String servedType(String type) {
        if (type.startsWith("text/")) {
            return type.equals("text/csv") ? type : "text/plain; charset=utf-8";
        }
        if (type.contains("svg") || type.contains("html") || type.contains("xml") || type.contains("javascript")) {
            return "application/octet-stream";
        }
        return type;
    }

    private static String disposition(String kind, String fileName) {
        String fallback = fileName.replaceAll("[^A-Za-z0-9!#$&+.^_`|~ -]", "_");
        String encoded = URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
        return kind + "; filename=\"" + fallback + "\"; filename*=UTF-8''" + encoded;
    }

    private ArtifactDownload open(String runId, String path) {
        try {
            return services.artifacts().runArtifact(runId, path);
        } catch (AxleException e) {
            if (e.errorCode() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                throw new UiException(404, "This run has no artifact at '" + path + "'.");
            }
            throw e;
        }
    }

    private void render(
            Context ctx,
            RunInfo run,
            String path,
            boolean file,
            List<FileInfo> files,
            Preview preview,
            String text,
            boolean truncated,
            long size) {
        String title = path.isEmpty() ? "Artifacts" : baseName(path);
        pages.render(
                ctx,
                "artifacts.jte",
                new View(
                        pages.chrome(ctx, title, Section.EXPERIMENTS),
                        run,
                        path,
                        crumbs(run.runId(), path),
                        file,
                        files,
                        preview,
                        text,
                        truncated,
                        size));
    }

    /** The {@code path} query parameter, refused when it is absolute or climbs out with {@code ..}. */
    private static String path(Context ctx, boolean required) {
        String path = Optional.ofNullable(ctx.queryParam("path")).orElse("").strip();
        while (path.endsWith("/") && path.length() > 1) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.startsWith("/") || path.startsWith("\\") || path.matches("^[A-Za-z]:.*")) {
            throw new UiException(400, "An artifact path is relative to the run's artifacts; '" + path + "' is not.");
        }
        for (String segment : path.split("[/\\\\]")) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new UiException(400, "An artifact path may not contain '" + segment + "': '" + path + "'.");
            }
        }
        if (required && path.isEmpty()) {
            throw new UiException(400, "Name the artifact to show with ?path=.");
        }
        return path;
    }

    /** The breadcrumbs from the run's artifact root down to {@code path}. */
    static List<Crumb> crumbs(String runId, String path) {
        List<Crumb> crumbs = new ArrayList<>();
        crumbs.add(new Crumb("artifacts", link(runId, "")));
        if (path.isEmpty()) {
            return crumbs;
        }
        StringBuilder prefix = new StringBuilder();
        for (String segment : path.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (!prefix.isEmpty()) {
                prefix.append('/');
            }
            prefix.append(segment);
            crumbs.add(new Crumb(segment, link(runId, prefix.toString())));
        }
        return crumbs;
    }

    static String link(String runId, String path) {
        String base = "/runs/" + Fmt.seg(runId) + "/artifacts";
        return path.isEmpty() ? base : base + "?path=" + Fmt.q(path);
    }

    static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Directories first, then files, each by name. */
    static List<FileInfo> sorted(List<FileInfo> files) {
        return files.stream()
                .sorted(Comparator.comparing((FileInfo file) -> !file.isDir()).thenComparing(FileInfo::path))
                .toList();
    }

    private static String extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }

    /** The bytes as UTF-8 text, or empty when they look binary (a NUL byte, or invalid UTF-8 before the cut). */
    private static Optional<String> text(byte[] head, boolean truncated) {
        for (byte b : head) {
            if (b == 0) {
                return Optional.empty();
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.wrap(head);
        CharBuffer chars = CharBuffer.allocate(head.length);
        var result = decoder.decode(bytes, chars, !truncated);
        if (result.isError()) {
            return Optional.empty();
        }
        chars.flip();
        return Optional.of(chars.toString());
    }

    private static Optional<String> pretty(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return node == null
                    ? Optional.empty()
                    : Optional.of(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
