package io.axle.server.deploy.gitops;

import static io.axle.server.deploy.gitops.GitOpsFixtures.BRANCH;
import static io.axle.server.deploy.gitops.GitOpsFixtures.commit;
import static io.axle.server.deploy.gitops.GitOpsFixtures.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.server.deploy.render.GitOpsTarget;
import io.axle.server.deploy.render.GitOpsTarget.Credentials;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Over Git's smart HTTP protocol with a token, as with GitHub or GitLab (plain HTTP on the loopback address). */
class GitOpsHttpPublisherTest {
    private static final String TOKEN = "ghp_httpTestToken";

    @TempDir
    Path temp;

    private BareRepository repository;
    private SmartHttpGitServer server;

    @BeforeEach
    void startServer() throws Exception {
        repository = BareRepository.create(temp.resolve("gitops.git"));
        server = SmartHttpGitServer.start(repository, "x-access-token", TOKEN);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void aTokenFromASecretReferencePublishesAndPublishingAgainMakesNoCommit() throws Exception {
        JGitPublisher publisher = publisher(Map.of("AXLE_GIT_SECRET_GITOPS", TOKEN));
        GitOpsTarget target = target(new Credentials.SecretReference("gitops"));

        PublishResult first =
                publisher.publish(target, render("prod", "fraud", 1, "deployment.yaml"), commit("fraud", 1));
        PublishResult again =
                publisher.publish(target, render("prod", "fraud", 1, "deployment.yaml"), commit("fraud", 1));
        PublishResult next =
                publisher.publish(target, render("prod", "fraud", 2, "deployment.yaml"), commit("fraud", 2));

        assertThat(first.changed()).isTrue();
        assertThat(again).isEqualTo(new PublishResult(first.commitSha(), false, 0));
        assertThat(next.changed()).isTrue();
        assertThat(repository.head(BRANCH)).contains(next.commitSha());
        assertThat(repository.history(BRANCH)).hasSize(2);
        assertThat(server.lastUsername()).isEqualTo("x-access-token");
    }

    @Test
    void aRefusedPushOverHttpIsRebasedAndRetried() throws Exception {
        JGitPublisher setup = publisher(Map.of("U", "x-access-token", "P", TOKEN));
        GitOpsTarget target = target(new Credentials.FromEnvironment("U", "P"));
        setup.publish(target, render("prod", "aaa", 1, "deployment.yaml"), commit("aaa", 1));
        JGitPublisher publisher = new JGitPublisher(
                temp.resolve("work-2"),
                GitCredentialsResolver.fromEnvironment(Map.of("U", "x-access-token", "P", TOKEN)),
                5,
                attempt -> {
                    if (attempt == 1) {
                        repository.pushFromAnotherClone(temp, BRANCH, "README.md", "# hands off\n", "unrelated");
                    }
                });

        PublishResult result =
                publisher.publish(target, render("prod", "fraud", 1, "deployment.yaml"), commit("fraud", 1));

        assertThat(result.attempts()).isEqualTo(2);
        assertThat(repository.history(BRANCH)).hasSize(3);
        assertThat(repository.file(BRANCH, "README.md")).isPresent();
    }

    @Test
    void aWrongTokenIsAnAuthenticationErrorNamingTheVariablesButNotTheToken() {
        JGitPublisher publisher = publisher(Map.of("GIT_USER", "x-access-token", "GIT_TOKEN", "ghp_wrongToken"));
        GitOpsTarget target = target(new Credentials.FromEnvironment("GIT_USER", "GIT_TOKEN"));

        assertThatThrownBy(() ->
                        publisher.publish(target, render("prod", "fraud", 1, "deployment.yaml"), commit("fraud", 1)))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("GitOps repository " + server.url() + " refused the credentials")
                .hasMessageContaining("GIT_USER/GIT_TOKEN")
                .hasMessageNotContaining("ghp_wrongToken")
                .satisfies(failure -> assertThat(failure.getMessage()).doesNotContain("\n"))
                .extracting(failure -> ((AxleException) failure).errorCode())
                .isEqualTo(ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void noCredentialsForAServerThatWantsThemSaysToGiveSome() {
        JGitPublisher publisher = publisher(Map.of());

        assertThatThrownBy(() -> publisher.publish(
                        target(new Credentials.None()),
                        render("prod", "fraud", 1, "deployment.yaml"),
                        commit("fraud", 1)))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("give the target credentials")
                .extracting(failure -> ((AxleException) failure).errorCode())
                .isEqualTo(ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void aProtectedBranchIsAOneLineErrorNamingTheBranchAndTheFix() {
        server.protectBranches("branch main is protected");
        JGitPublisher publisher = publisher(Map.of("U", "x-access-token", "P", TOKEN));

        assertThatThrownBy(() -> publisher.publish(
                        target(new Credentials.FromEnvironment("U", "P")),
                        render("prod", "fraud", 1, "deployment.yaml"),
                        commit("fraud", 1)))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("refused the push to branch main (branch main is protected)")
                .hasMessageContaining("let the deployer's account push")
                .extracting(failure -> ((AxleException) failure).errorCode())
                .isEqualTo(ErrorCode.PERMISSION_DENIED);
    }

    private GitOpsTarget target(Credentials credentials) {
        return new GitOpsTarget(server.url(), BRANCH, "deploy", credentials);
    }

    private JGitPublisher publisher(Map<String, String> environment) {
        return new JGitPublisher(temp.resolve("work"), GitCredentialsResolver.fromEnvironment(environment));
    }
}
