package io.axle.server.deploy.gitops;

import io.axle.server.deploy.render.GitOpsTarget;
import java.util.Map;
import java.util.Optional;

/** Turns where a target's credentials come from into the credentials themselves, at the moment they are needed. */
public interface GitCredentialsResolver {
    /**
     * The credentials to use, or empty for anonymous access (a local repository, or SSH with the server's own keys).
     * Throws an {@link io.axle.common.AxleException} that names what to set when the credentials are not there.
     */
    Optional<GitCredentials> resolve(GitOpsTarget.Credentials credentials);

    /**
     * Reads credentials from the server's environment: {@code FromEnvironment} from its two variables, and
     * {@code SecretReference(name)} from {@code AXLE_GIT_SECRET_<NAME>} (the password or token) and the optional
     * {@code AXLE_GIT_SECRET_<NAME>_USERNAME} (default {@value EnvironmentCredentialsResolver#TOKEN_USERNAME}), where
     * {@code <NAME>} is the Secret's name in upper case with {@code -} and {@code .} as {@code _}.
     */
    static GitCredentialsResolver fromEnvironment(Map<String, String> environment) {
        return new EnvironmentCredentialsResolver(environment);
    }
}
