package io.axle.server.deploy.render;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * The Git repository rendered files are committed to. Credentials are never part of it: they come from the server's
 * environment or from a Kubernetes Secret, by name.
 *
 * @param repositoryUrl e.g. {@code https://git.example.com/ml/deployments.git}, {@code ssh://git@host/repo.git} or
 *     {@code file:///srv/gitops}; a URL with a password in it is refused
 * @param branch the branch to commit to, e.g. {@code main}
 * @param path the directory inside the repository that holds the environments, e.g. {@code deploy}; empty for the
 *     repository's root
 */
public record GitOpsTarget(String repositoryUrl, String branch, String path, Credentials credentials) {
    private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9._/-]+");
    private static final Pattern PATH_SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");

    public GitOpsTarget {
        requireNonNull(repositoryUrl, "repositoryUrl is null");
        requireNonNull(branch, "branch is null");
        requireNonNull(path, "path is null");
        requireNonNull(credentials, "credentials is null");
        checkUrl(repositoryUrl);
        if (!BRANCH.matcher(branch).matches()
                || branch.startsWith("/")
                || branch.endsWith("/")
                || branch.endsWith(".lock")
                || branch.contains("..")) {
            throw AxleException.invalidParameter("'" + branch + "' is not a Git branch name");
        }
        if (!path.isEmpty()) {
            for (String segment : path.split("/", -1)) {
                if (!PATH_SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                    throw AxleException.invalidParameter("GitOps path '" + path + "' must be a relative path of names"
                            + " (letters, digits, '.', '_', '-') separated by '/', e.g. deploy or clusters/eu");
                }
            }
        }
    }

    private static void checkUrl(String repositoryUrl) {
        URI uri;
        try {
            uri = new URI(repositoryUrl);
        } catch (URISyntaxException e) {
            throw AxleException.invalidParameter(
                    "GitOps repository URL '" + repositoryUrl + "' is not a URL: " + e.getReason());
        }
        if (uri.getScheme() == null || uri.getRawSchemeSpecificPart() == null) {
            throw AxleException.invalidParameter(
                    "GitOps repository URL '" + repositoryUrl + "' needs a scheme: https://, ssh:// or file://");
        }
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && userInfo.contains(":")) {
            throw AxleException.invalidParameter("GitOps repository URL must not carry a password; give the"
                    + " credentials through environment variables or a Secret instead");
        }
    }

    /** Where the credentials to push come from. None of them holds a secret itself. */
    public sealed interface Credentials {
        /** No credentials: a local repository, or SSH keys of the server's user. */
        record None() implements Credentials {}

        /** The names of the server's environment variables that hold the user name and the password or token. */
        record FromEnvironment(String usernameVariable, String passwordVariable) implements Credentials {
            public FromEnvironment {
                Checks.environmentVariableName(requireNonNull(usernameVariable, "usernameVariable is null"));
                Checks.environmentVariableName(requireNonNull(passwordVariable, "passwordVariable is null"));
            }
        }

        /** A Kubernetes Secret (keys {@code username} and {@code password}) in the server's namespace. */
        record SecretReference(String secretName) implements Credentials {
            public SecretReference {
                Checks.dns1123Subdomain("Secret name", requireNonNull(secretName, "secretName is null"));
            }
        }
    }
}
