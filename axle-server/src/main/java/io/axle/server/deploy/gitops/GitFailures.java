package io.axle.server.deploy.gitops;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.server.deploy.render.GitOpsTarget;
import io.axle.server.deploy.render.GitOpsTarget.Credentials;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.errors.TransportException;

/**
 * JGit's failures as one-line {@link AxleException}s that name the repository (its URL never holds a secret: {@link
 * GitOpsTarget} refuses one with a password) and what to do.
 */
final class GitFailures {
    private GitFailures() {}

    static AxleException translate(GitOpsTarget target, boolean withCredentials, Exception failure) {
        String repository = "GitOps repository " + target.repositoryUrl();
        String cause = oneLine(failure);
        if (has(failure, NoRemoteRepositoryException.class)) {
            return new AxleException(
                    ErrorCode.RESOURCE_DOES_NOT_EXIST,
                    repository + " does not exist or is hidden from the deployer (" + cause
                            + "); check the URL and that " + credentialsSource(target) + " may read it",
                    failure);
        }
        String lowerCause = cause.toLowerCase(Locale.ROOT);
        if (lowerCause.contains("not authorized")
                || lowerCause.contains("authentication is required")
                || lowerCause.contains("auth fail")
                || lowerCause.contains("authentication failed")
                || lowerCause.contains("no more authentication methods")) {
            return new AxleException(
                    ErrorCode.UNAUTHENTICATED,
                    repository + " refused the credentials (" + cause + "); "
                            + (withCredentials
                                    ? "check that " + credentialsSource(target) + " holds a valid token"
                                    : "give the target credentials (environment variables or a Secret)"),
                    failure);
        }
        if (lowerCause.contains("server key did not validate") || lowerCause.contains("host key")) {
            return new AxleException(
                    ErrorCode.INVALID_STATE,
                    repository + " has an SSH host key the server does not trust (" + cause + "); add the host's"
                            + " key (ssh-keyscan) to known_hosts in the server's SSH directory",
                    failure);
        }
        if (lowerCause.contains("not permitted") || lowerCause.contains("forbidden")) {
            return new AxleException(
                    ErrorCode.PERMISSION_DENIED,
                    repository + " does not let the deployer push (" + cause + "); grant " + credentialsSource(target)
                            + " write access",
                    failure);
        }
        if (has(failure, UnknownHostException.class)
                || has(failure, ConnectException.class)
                || has(failure, NoRouteToHostException.class)
                || has(failure, SocketTimeoutException.class)
                || has(failure, TransportException.class)) {
            return new AxleException(
                    ErrorCode.TEMPORARILY_UNAVAILABLE,
                    repository + " is unreachable (" + cause + "); check the URL, and the server's network and"
                            + " proxy",
                    failure);
        }
        return new AxleException(
                ErrorCode.IO_ERROR,
                "Publishing to " + repository + " branch " + target.branch() + " failed (" + cause
                        + "); the work clone is reset at the next publish, so publish again",
                failure);
    }

    static AxleException pushRefused(GitOpsTarget target, String reason) {
        return new AxleException(
                ErrorCode.PERMISSION_DENIED,
                "GitOps repository " + target.repositoryUrl() + " refused the push to branch " + target.branch()
                        + " (" + oneLine(reason) + "); if the branch is protected, let the deployer's account push"
                        + " to it or point the target at a branch it may push to");
    }

    private static String credentialsSource(GitOpsTarget target) {
        return switch (target.credentials()) {
            case Credentials.None none -> "the server's account";
            case Credentials.FromEnvironment variables ->
                "the account in " + variables.usernameVariable() + "/" + variables.passwordVariable();
            case Credentials.SecretReference secret ->
                "the account in " + EnvironmentCredentialsResolver.secretVariable(secret.secretName());
        };
    }

    private static boolean has(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /**
     * JGit's own account (its innermost transport error names the URL and the reason), followed by the network's
     * (the root cause, e.g. an unknown host) when that adds something; on one line.
     */
    private static String oneLine(Throwable failure) {
        String message = Optional.ofNullable(failure.getMessage()).orElse(failure.toString());
        Throwable root = failure;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TransportException && cause.getMessage() != null) {
                message = cause.getMessage();
            }
            root = cause;
        }
        if (root != failure && root.getMessage() != null && !message.contains(root.getMessage())) {
            message = message + ": " + root.getMessage();
        }
        return oneLine(message);
    }

    private static String oneLine(String message) {
        return message.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
