package io.axle.server.deploy.gitops;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.URIish;

/**
 * Answers JGit's questions for the deployer, with no person behind it: the user name and password or token when asked
 * (HTTPS, or SSH password authentication), and "no" to every yes/no question, so an SSH host key missing from {@code
 * known_hosts} or an HTTPS certificate that does not verify is refused rather than accepted.
 */
final class DeployerCredentialsProvider extends CredentialsProvider {
    private final GitCredentials credentials;

    DeployerCredentialsProvider(GitCredentials credentials) {
        this.credentials = requireNonNull(credentials, "credentials is null");
    }

    /** True, because JGit's SSH client asks only an interactive provider for a password; the answers are ours. */
    @Override
    public boolean isInteractive() {
        return true;
    }

    @Override
    public boolean supports(CredentialItem... items) {
        return Arrays.stream(items)
                .allMatch(item -> item instanceof CredentialItem.Username
                        || item instanceof CredentialItem.Password
                        || item instanceof CredentialItem.YesNoType
                        || item instanceof CredentialItem.InformationalMessage);
    }

    @Override
    public boolean get(URIish uri, CredentialItem... items) {
        if (!supports(items)) {
            return false;
        }
        for (CredentialItem item : items) {
            switch (item) {
                case CredentialItem.Username username -> username.setValue(credentials.username());
                case CredentialItem.Password password ->
                    password.setValue(credentials.password().toCharArray());
                case CredentialItem.YesNoType question -> question.setValue(false);
                default -> {
                    // informational messages need no answer
                }
            }
        }
        return true;
    }
}
