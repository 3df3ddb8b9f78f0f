package io.axle.server.deploy.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.common.AxleException;
import io.axle.server.deploy.render.GitOpsTarget.Credentials;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GitOpsCredentialsResolverTest {
    @Test
    void noCredentialsMeansAnonymousAccess() {
        assertThat(GitCredentialsResolver.fromEnvironment(Map.of()).resolve(new Credentials.None()))
                .isEmpty();
    }

    @Test
    void fromEnvironmentReadsTheTwoNamedVariables() {
        GitCredentialsResolver resolver = GitCredentialsResolver.fromEnvironment(
                Map.of("GIT_USER", "deployer", "GIT_TOKEN", "ghp_secret", "OTHER", "x"));

        assertThat(resolver.resolve(new Credentials.FromEnvironment("GIT_USER", "GIT_TOKEN")))
                .contains(new GitCredentials("deployer", "ghp_secret"));
    }

    @Test
    void aMissingVariableIsAnErrorNamingItAndNotTheOtherValue() {
        GitCredentialsResolver resolver = GitCredentialsResolver.fromEnvironment(Map.of("GIT_USER", "deployer"));

        assertThatThrownBy(() -> resolver.resolve(new Credentials.FromEnvironment("GIT_USER", "GIT_TOKEN")))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("Environment variable GIT_TOKEN")
                .hasMessageContaining("set it")
                .hasMessageNotContaining("deployer");
    }

    @Test
    void anEmptyVariableCountsAsMissing() {
        GitCredentialsResolver resolver =
                GitCredentialsResolver.fromEnvironment(Map.of("GIT_USER", "deployer", "GIT_TOKEN", ""));

        assertThatThrownBy(() -> resolver.resolve(new Credentials.FromEnvironment("GIT_USER", "GIT_TOKEN")))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("GIT_TOKEN");
    }

    @Test
    void aSecretReferenceResolvesFromItsAxleGitSecretVariableWithTheTokenUserName() {
        GitCredentialsResolver resolver =
                GitCredentialsResolver.fromEnvironment(Map.of("AXLE_GIT_SECRET_GITOPS_TOKEN_PROD", "glpat-secret"));

        assertThat(resolver.resolve(new Credentials.SecretReference("gitops-token.prod")))
                .contains(new GitCredentials("x-access-token", "glpat-secret"));
    }

    @Test
    void aSecretReferenceTakesItsUserNameFromTheUsernameVariableWhenSet() {
        GitCredentialsResolver resolver = GitCredentialsResolver.fromEnvironment(
                Map.of("AXLE_GIT_SECRET_GITOPS", "glpat-secret", "AXLE_GIT_SECRET_GITOPS_USERNAME", "oauth2"));

        assertThat(resolver.resolve(new Credentials.SecretReference("gitops")))
                .contains(new GitCredentials("oauth2", "glpat-secret"));
    }

    @Test
    void anUnsetSecretReferenceNamesTheVariableToSet() {
        GitCredentialsResolver resolver = GitCredentialsResolver.fromEnvironment(Map.of());

        assertThatThrownBy(() -> resolver.resolve(new Credentials.SecretReference("gitops-token")))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("AXLE_GIT_SECRET_GITOPS_TOKEN")
                .hasMessageContaining("Secret 'gitops-token'");
    }

    @Test
    void credentialsNeverShowThePasswordWhenPrinted() {
        assertThat(new GitCredentials("deployer", "ghp_secret").toString())
                .contains("deployer")
                .doesNotContain("ghp_secret");
    }
}
