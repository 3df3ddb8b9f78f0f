package io.axle.server.ui;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The UI's stylesheet and scripts, read from the jars once at start and served from memory under {@code /static/}:
 * a fixed list, so no request path ever reaches the class path.
 */
public final class StaticAssets {
    private static final String WEBJARS = "/META-INF/resources/webjars/";
    private static final String OWN = "/io/axle/server/ui/static/";

    private record Asset(byte[] bytes, String contentType, String etag) {}

    private final Map<String, Asset> assets;

    public StaticAssets() {
        assets = Map.of(
                "axle.css", load(OWN + "axle.css", "text/css; charset=utf-8"),
                "axle.js", load(OWN + "axle.js", "text/javascript; charset=utf-8"),
                "htmx.min.js", load(webjar("htmx.org", "dist/htmx.min.js"), "text/javascript; charset=utf-8"),
                "uPlot.min.js", load(webjar("uplot", "dist/uPlot.iife.min.js"), "text/javascript; charset=utf-8"),
                "uPlot.min.css", load(webjar("uplot", "dist/uPlot.min.css"), "text/css; charset=utf-8"));
    }

    public void register(RoutesConfig routes) {
        routes.get("/static/{file}", this::serve);
    }

    private void serve(Context ctx) {
        Asset asset = assets.get(ctx.pathParam("file"));
        if (asset == null) {
            ctx.status(404).contentType("text/plain; charset=utf-8").result("No such file.");
            return;
        }
        Pages.securityHeaders(ctx);
        ctx.header("ETag", asset.etag());
        ctx.header("Cache-Control", "public, max-age=3600");
        if (asset.etag().equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.contentType(asset.contentType()).result(asset.bytes());
    }

    /** {@code file} of the WebJar {@code artifact}, at the version the POM put on the class path. */
    private static String webjar(String artifact, String file) {
        String properties = "/META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
        try (InputStream in = StaticAssets.class.getResourceAsStream(properties)) {
            if (in == null) {
                throw new IllegalStateException("The WebJar " + artifact + " is missing from the class path");
            }
            java.util.Properties pom = new java.util.Properties();
            pom.load(in);
            return WEBJARS + artifact + "/" + pom.getProperty("version") + "/" + file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Asset load(String resource, String contentType) {
        try (InputStream in = StaticAssets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("The UI asset " + resource + " is missing from the class path");
            }
            byte[] bytes = in.readAllBytes();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return new Asset(bytes, contentType, "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
