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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitOpsPublisherFailureTest {
    private static final String TOKEN = "ghp_doNotLeakThisToken";

    @TempDir
    Path temp;

    @Test
    void aRepositoryThatDoesNotExistIsAOneLineErrorNamingIt() {
        JGitPublisher publisher = publisherIn(temp.resolve("work"), Map.of());
        String url = temp.resolve("no-such-repository.git").toUri().toString();
        GitOpsTarget target = new GitOpsTarget(url, BRANCH, "deploy", new Credentials.None());

        assertThatThrownBy(() ->
                        publisher.publish(target, render("prod", "fraud", 1, "deployment.yaml"), commit("fraud", 1)))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("GitOps repository " + url)
                .hasMessageContaining("check the URL")
                .satisfies(failure -> assertThat(failure.getMessage()).doesNotContain("\n"))
                .extracting(failure -> ((AxleException) failure).errorCode())
                .isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
    }

    @Test
    void anUnreachableHostIsAOneLineErrorNamingTheRepositoryWithoutTheToken() {
        JGitPublisher publisher = publisherIn(temp.resolve("work"), Map.of("GIT_USER", "deployer", "GIT_TOKEN", TOKEN));
        // port 1 on the loopback address: nothing listens, so the connection is refused at once
        String url = "https://127.0.0.1:1/ml/deployments.git";
        GitOpsTarget target =
                new GitOpsTarget(url, BRANCH, "deploy", new Credentials.FromEnvironment("GIT_USER", "GIT_TOKEN"));

        assertThatThrownBy(() ->
                        publisher.publish(target, render("prod", "fraud", 1, "deployment.yaml"), commit("fraud", 1)))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("GitOps repository " + url + " is unreachable")
                .hasMessageContaining("check the URL")
                .hasMessageNotContaining(TOKEN)
                .satisfies(failure -> assertThat(failure.getMessage()).doesNotContain("\n"))
                .extracting(failure -> ((AxleException) failure).errorCode())
                .isEqualTo(ErrorCode.TEMPORARILY_UNAVAILABLE);
    }

    @Test
    void missingCredentialsFailBeforeAnythingIsFetched() {
        JGitPublisher publisher = publisherIn(temp.resolve("work"), Map.of());
        GitOpsTarget target = new GitOpsTarget(
                "https://127.0.0.1:1/ml/deployments.git",
                BRANCH,
                "deploy",
                new Credentials.SecretReference("gitops-token"));

        assertThatThrownBy(() ->
                        publisher.publish(target, render("prod", "fraud", 1, "deployment.yaml"), commit("fraud", 1)))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("AXLE_GIT_SECRET_GITOPS_TOKEN");
        assertThat(temp.resolve("work")).doesNotExist();
    }

    @Test
    void filesRenderedForAnotherGitOpsPathAreRefused() throws Exception {
        BareRepository repository = BareRepository.create(temp.resolve("gitops.git"));
        JGitPublisher publisher = publisherIn(temp.resolve("work"), Map.of());
        GitOpsTarget target = new GitOpsTarget(repository.url(), BRANCH, "clusters/eu", new Credentials.None());

        assertThatThrownBy(() ->
                        publisher.publish(target, render("prod", "fraud", 1, "deployment.yaml"), commit("fraud", 1)))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("'deploy/prod/fraud'")
                .hasMessageContaining("'clusters/eu'");
        assertThat(repository.head(BRANCH)).isEmpty();
    }

    @Test
    void credentialsAreNeverWrittenIntoTheWorkClone() throws Exception {
        BareRepository repository = BareRepository.create(temp.resolve("gitops.git"));
        Path work = temp.resolve("work");
        JGitPublisher publisher = publisherIn(work, Map.of("GIT_USER", "deployer", "GIT_TOKEN", TOKEN));
        GitOpsTarget target = new GitOpsTarget(
                repository.url(), BRANCH, "deploy", new Credentials.FromEnvironment("GIT_USER", "GIT_TOKEN"));

        publisher.publish(target, render("prod", "fraud", 1, "deployment.yaml"), commit("fraud", 1));

        List<Path> files;
        try (Stream<Path> walk = Files.walk(work)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files)
                .isNotEmpty()
                .allSatisfy(
                        file -> assertThat(Files.readAllBytes(file)).asString().doesNotContain(TOKEN));
        assertThat(work)
                .isDirectoryContaining(path -> path.getFileName().toString().startsWith("repo-"));
    }

    @Test
    void theWorkCloneIsNamedByAHashOfTheUrlAndBranch() {
        GitOpsTarget main =
                new GitOpsTarget("https://git.example.com/ml/deploy.git", "main", "", new Credentials.None());
        GitOpsTarget staging =
                new GitOpsTarget("https://git.example.com/ml/deploy.git", "staging", "", new Credentials.None());

        assertThat(JGitPublisher.workCloneName(main))
                .matches("repo-[0-9a-f]{24}")
                .isEqualTo(JGitPublisher.workCloneName(new GitOpsTarget(
                        "https://git.example.com/ml/deploy.git", "main", "deploy", new Credentials.None())))
                .isNotEqualTo(JGitPublisher.workCloneName(staging));
    }

    private static JGitPublisher publisherIn(Path work, Map<String, String> environment) {
        return new JGitPublisher(work, GitCredentialsResolver.fromEnvironment(environment));
    }
}
