package io.axle.cli.mlflowimport;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/** Where an artifact URI lies behind a server's artifact proxy, if it lies there at all. */
final class ArtifactRoots {
    private static final String PROXY_ROUTE = "/api/2.0/mlflow-artifacts/artifacts/";

    private ArtifactRoots() {}

    /**
     * The path under the artifact proxy that {@code artifactUri} names: {@code mlflow-artifacts:/1/abc/artifacts} and
     * {@code mlflow-artifacts://host:5000/1/abc/artifacts} name {@code 1/abc/artifacts}, as does an http(s) URL of the
     * proxy route; other schemes ({@code file:}, {@code s3:}, ...) are not behind the proxy.
     */
    static Optional<String> proxyPath(String artifactUri) {
        URI uri;
        try {
            uri = new URI(artifactUri);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (uri.getScheme() == null) {
            return Optional.empty();
        }
        String path = uri.isOpaque()
                ? uri.getSchemeSpecificPart()
                : Optional.ofNullable(uri.getPath()).orElse("");
        return switch (uri.getScheme().toLowerCase(Locale.ROOT)) {
            case "mlflow-artifacts" -> Optional.of(trim(path));
            case "http", "https" -> {
                int route = path.indexOf(PROXY_ROUTE);
                yield route < 0 ? Optional.empty() : Optional.of(trim(path.substring(route + PROXY_ROUTE.length())));
            }
            default -> Optional.empty();
        };
    }

    private static String trim(String path) {
        return path.replaceAll("^/+", "").replaceAll("/+$", "");
    }
}
