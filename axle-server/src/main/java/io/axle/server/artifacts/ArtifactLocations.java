package io.axle.server.artifacts;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.storage.BlobKey;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where an artifact URI (a run's artifact root) lies in the artifacts destination. {@code mlflow-artifacts:} URIs,
 * and {@code http(s)} URLs of the artifact proxy, name paths in it; {@code file:} URIs and plain paths of a local
 * destination, and {@code s3:} URIs of an S3 one, are served only when they lie inside it, so the server never reads
 * elsewhere; other schemes are not supported yet.
 */
final class ArtifactLocations {
    private static final String PROXY_ROUTE = "/api/2.0/mlflow-artifacts/artifacts/";
    private static final String PROXY_SCHEME = "mlflow-artifacts:";
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    private final List<Path> destinations;
    private final Optional<String> s3Location;
    private final String shown;

    private ArtifactLocations(List<Path> destinations, Optional<String> s3Location, String shown) {
        this.destinations = List.copyOf(destinations);
        this.s3Location = requireNonNull(s3Location, "s3Location is null");
        this.shown = requireNonNull(shown, "shown is null");
    }

    static ArtifactLocations in(ArtifactsDestination destination) {
        return destination.localDirectory().map(ArtifactLocations::in).orElseGet(() -> {
            String location = destination.s3().orElseThrow().location();
            return new ArtifactLocations(List.of(), Optional.of(location), location);
        });
    }

    /** Locations in {@code destination}, known both as written and with symbolic links resolved. */
    static ArtifactLocations in(Path destination) {
        requireNonNull(destination, "destination is null");
        Set<Path> names = new LinkedHashSet<>();
        names.add(destination.toAbsolutePath().normalize());
        try {
            names.add(destination.toRealPath());
        } catch (IOException e) {
            // not created yet: the name as written is the only one
        }
        return new ArtifactLocations(
                new ArrayList<>(names),
                Optional.empty(),
                names.iterator().next().toString());
    }

    /** The key in the artifacts destination that {@code artifactUri} names. */
    BlobKey keyOf(String artifactUri) {
        if (!SCHEME.matcher(artifactUri).find()) {
            return local(artifactUri, pathOf(artifactUri, artifactUri));
        }
        boolean proxiedScheme = artifactUri.regionMatches(true, 0, PROXY_SCHEME, 0, PROXY_SCHEME.length());
        boolean s3Scheme = s3Location.isPresent() && artifactUri.regionMatches(true, 0, "s3://", 0, "s3://".length());
        if ((proxiedScheme || s3Scheme) && (artifactUri.contains("#") || artifactUri.contains("?"))) {
            throw queryOrFragment(artifactUri);
        }
        if (proxiedScheme) {
            // read as MLflow reads it (urlparse): a model or run path may hold spaces and other characters that
            // java.net.URI refuses
            String rest = artifactUri.substring(PROXY_SCHEME.length());
            if (rest.startsWith("//")) {
                int slash = rest.indexOf('/', 2);
                rest = slash < 0 ? "" : rest.substring(slash);
            }
            return proxied(artifactUri, rest);
        }
        if (s3Scheme) {
            return s3(artifactUri, s3Location.get());
        }
        URI uri = parse(artifactUri);
        // a '#' or '?' hid a traversal from MLflow's check (CVE-2024-1558) while a shorter path was read: both refused
        if (uri.getRawFragment() != null || uri.getRawQuery() != null) {
            throw queryOrFragment(artifactUri);
        }
        String path = uri.isOpaque() ? uri.getRawSchemeSpecificPart() : uri.getRawPath();
        return switch (uri.getScheme().toLowerCase(Locale.ROOT)) {
            case "mlflow-artifacts" -> proxied(artifactUri, path);
            case "http", "https" -> {
                int route = path.indexOf(PROXY_ROUTE);
                if (route < 0) {
                    // the server never fetches other URLs for a client: that would be a request forgery
                    throw AxleException.invalidParameter("Artifact location '" + BlobKey.printable(artifactUri)
                            + "' is not this server's artifact proxy (" + PROXY_ROUTE + "); the server reads "
                            + "no other URLs");
                }
                yield proxied(artifactUri, path.substring(route + PROXY_ROUTE.length()));
            }
            case "file" -> local(artifactUri, fileUriPath(artifactUri, uri));
            case "s3" -> {
                if (s3Location.isEmpty()) {
                    throw notSupported(artifactUri);
                }
                yield s3(artifactUri, s3Location.get());
            }
            default -> throw notSupported(artifactUri);
        };
    }

    /** The URI of {@code key} in the destination: {@code s3://...} or {@code file:...}. */
    String uriOf(BlobKey key) {
        if (s3Location.isPresent()) {
            return key.isRoot() ? s3Location.get() : s3Location.get() + "/" + key.path();
        }
        Path destination = destinations.getFirst();
        return (key.isRoot() ? destination : destination.resolve(key.path()))
                .toUri()
                .toString();
    }

    private static AxleException queryOrFragment(String artifactUri) {
        return AxleException.invalidParameter("Artifact location '" + BlobKey.printable(artifactUri)
                + "' has a query or a fragment ('?' or '#'); name the location without one");
    }

    private BlobKey proxied(String artifactUri, String path) {
        String relative = path.replaceFirst("^/+", "");
        try {
            return ArtifactPaths.directory(relative);
        } catch (AxleException e) {
            throw AxleException.invalidParameter("Artifact location '" + artifactUri
                    + "' is not a valid path in the artifacts destination: " + e.getMessage());
        }
    }

    private BlobKey s3(String artifactUri, String destination) {
        String location = artifactUri.replaceFirst("^[sS]3://", "s3://").replaceFirst("/+$", "");
        if (location.equals(destination)) {
            return BlobKey.ROOT;
        }
        if (location.startsWith(destination + "/")) {
            return proxied(artifactUri, location.substring(destination.length() + 1));
        }
        throw outside(artifactUri);
    }

    private BlobKey local(String artifactUri, Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        for (Path destination : destinations) {
            if (absolute.startsWith(destination)) {
                List<String> names = new ArrayList<>();
                destination.relativize(absolute).forEach(name -> names.add(name.toString()));
                return proxied(
                        artifactUri, names.size() == 1 && names.getFirst().isEmpty() ? "" : String.join("/", names));
            }
        }
        throw outside(artifactUri);
    }

    private AxleException outside(String artifactUri) {
        return AxleException.invalidParameter("Artifact location '" + artifactUri
                + "' lies outside the artifacts destination " + shown
                + "; this server only serves artifacts stored under it");
    }

    private static Path fileUriPath(String artifactUri, URI uri) {
        String host = uri.getHost() == null ? uri.getRawAuthority() : uri.getHost();
        if (host != null && !host.isEmpty() && !host.equalsIgnoreCase("localhost")) {
            throw AxleException.invalidParameter("Artifact location '" + artifactUri + "' is on host '" + host
                    + "'; this server only reads its own disk");
        }
        String path = uri.isOpaque() ? uri.getSchemeSpecificPart() : uri.getPath();
        return pathOf(artifactUri, path);
    }

    private static Path pathOf(String artifactUri, String path) {
        try {
            return Path.of(path);
        } catch (InvalidPathException e) {
            throw AxleException.invalidParameter(
                    "Artifact location '" + artifactUri + "' is not a valid path: " + e.getReason());
        }
    }

    private static URI parse(String artifactUri) {
        try {
            return new URI(artifactUri);
        } catch (URISyntaxException e) {
            throw AxleException.invalidParameter(
                    "Artifact location '" + artifactUri + "' is not a valid URI: " + e.getMessage());
        }
    }

    private AxleException notSupported(String artifactUri) {
        return new AxleException(
                ErrorCode.NOT_IMPLEMENTED,
                "Artifact location '" + artifactUri + "' is not supported yet: this server serves artifacts "
                        + "from its artifacts destination " + shown + " (mlflow-artifacts:/ "
                        + "URIs, or " + (s3Location.isPresent() ? "s3:// URIs" : "file paths") + " inside it)");
    }
}
