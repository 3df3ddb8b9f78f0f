package io.axle.server.deploy.gitops;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.server.deploy.render.GitOpsTarget.Credentials;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Credentials from environment variables; the values are read at each publish, so a rotated token is picked up. */
final class EnvironmentCredentialsResolver implements GitCredentialsResolver {
    /** The user name GitHub and Gitea accept with an access token; GitLab accepts any non-empty one. */
    static final String TOKEN_USERNAME = "x-access-token";

    static final String SECRET_PREFIX = "AXLE_GIT_SECRET_";

    private final Map<String, String> environment;

    EnvironmentCredentialsResolver(Map<String, String> environment) {
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
    }

    @Override
    public Optional<GitCredentials> resolve(Credentials credentials) {
        return switch (credentials) {
            case Credentials.None none -> Optional.empty();
            case Credentials.FromEnvironment variables ->
                Optional.of(new GitCredentials(
                        required(variables.usernameVariable(), "the GitOps repository's user name"),
                        required(variables.passwordVariable(), "the GitOps repository's password or token")));
            case Credentials.SecretReference secret -> {
                String variable = secretVariable(secret.secretName());
                String password = required(variable, "the password or token of Secret '" + secret.secretName() + "'");
                String username = Optional.ofNullable(environment.get(variable + "_USERNAME"))
                        .filter(value -> !value.isEmpty())
                        .orElse(TOKEN_USERNAME);
                yield Optional.of(new GitCredentials(username, password));
            }
        };
    }

    static String secretVariable(String secretName) {
        return SECRET_PREFIX
                + secretName.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }

    private String required(String variable, String holds) {
        String value = environment.get(variable);
        if (value == null || value.isEmpty()) {
            throw new AxleException(
                    ErrorCode.INVALID_STATE,
                    "Environment variable " + variable + " (" + holds + ") is not set in the server's environment;"
                            + " set it and restart the server, or change the GitOps target's credentials");
        }
        return value;
    }
}
