package io.axle.server.tracking;

/** Joins artifact URIs the way MLflow appends to a URI path. */
final class ArtifactUris {
    private ArtifactUris() {}

    static String join(String root, String... segments) {
        StringBuilder uri = new StringBuilder(root);
        for (String segment : segments) {
            if (uri.length() > 0 && uri.charAt(uri.length() - 1) != '/') {
                uri.append('/');
            }
            uri.append(segment);
        }
        return uri.toString();
    }
}
