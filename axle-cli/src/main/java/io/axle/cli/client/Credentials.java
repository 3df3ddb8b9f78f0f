package io.axle.cli.client;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/** The {@code Authorization} header a tracking client sends, if any: a bearer token or a user name and password. */
public record Credentials(Optional<String> authorization) {
    public Credentials {
        requireNonNull(authorization, "authorization is null");
    }

    public static Credentials none() {
        return new Credentials(Optional.empty());
    }

    /** MLflow's variables: {@code MLFLOW_TRACKING_TOKEN}, else {@code MLFLOW_TRACKING_USERNAME} and {@code _PASSWORD}. */
    public static Credentials fromEnvironment(Map<String, String> environment) {
        Optional<String> token = nonBlank(environment.get("MLFLOW_TRACKING_TOKEN"));
        if (token.isPresent()) {
            return new Credentials(Optional.of("Bearer " + token.get()));
        }
        Optional<String> user = nonBlank(environment.get("MLFLOW_TRACKING_USERNAME"));
        Optional<String> password = nonBlank(environment.get("MLFLOW_TRACKING_PASSWORD"));
        if (user.isPresent() && password.isPresent()) {
            return basic(user.get(), password.get());
        }
        return none();
    }

    /** The user name and password written into a URL ({@code http://user:password@host}), if any. */
    public static Credentials fromUserInfo(URI url) {
        String userInfo = url.getRawUserInfo();
        if (userInfo == null || !userInfo.contains(":")) {
            return none();
        }
        int colon = userInfo.indexOf(':');
        return basic(decode(userInfo.substring(0, colon)), decode(userInfo.substring(colon + 1)));
    }

    private static Credentials basic(String user, String password) {
        String pair = user + ":" + password;
        return new Credentials(
                Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))));
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).filter(text -> !text.isBlank());
    }
}
