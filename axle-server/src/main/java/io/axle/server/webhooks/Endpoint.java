package io.axle.server.webhooks;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Optional;

/** Where and how to send: the URL, the flavor of headers, and the signing secret in the clear (never printed). */
record Endpoint(URI url, Flavor flavor, Optional<String> secret) {
    Endpoint {
        requireNonNull(url, "url is null");
        requireNonNull(flavor, "flavor is null");
        requireNonNull(secret, "secret is null");
    }

    @Override
    public String toString() {
        return "Endpoint[url=" + url + ", flavor=" + flavor + ", secret=" + (secret.isPresent() ? "***" : "none") + "]";
    }
}
