package io.axle.server.deploy.gitops;

import static io.axle.server.deploy.gitops.GitOpsFixtures.BRANCH;
import static io.axle.server.deploy.gitops.GitOpsFixtures.commit;
import static io.axle.server.deploy.gitops.GitOpsFixtures.render;
import static io.axle.server.deploy.gitops.GitOpsFixtures.target;
import static org.assertj.core.api.Assertions.assertThat;

import io.axle.server.deploy.render.GitOpsTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitOpsPublisherTest {
    @TempDir
    Path temp;

    private BareRepository repository;
    private GitOpsTarget target;
    private JGitPublisher publisher;

    @BeforeEach
    void createRepository() throws Exception {
        repository = BareRepository.create(temp.resolve("gitops.git"));
        target = target(repository);
        publisher = new JGitPublisher(temp.resolve("work"), GitCredentialsResolver.fromEnvironment(Map.of()));
    }

    @AfterEach
    void closePublisher() {
        publisher.close();
    }

    @Test
    void theFirstPublishToAnEmptyRepositoryCreatesTheBranchWithTheFiles() throws Exception {
        PublishResult result =
                publisher.publish(target, render("prod", "fraud", 1, "deployment.yaml"), commit("fraud", 1));

        assertThat(result.changed()).isTrue();
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(repository.head(BRANCH)).contains(result.commitSha());
        assertThat(repository.history(BRANCH)).hasSize(1);
        assertThat(repository.paths(BRANCH))
                .containsExactly(
                        "deploy/prod/fraud/deployment.yaml",
                        "deploy/prod/fraud/kustomization.yaml",
                        "deploy/prod/kustomization.yaml");
        assertThat(repository.file(BRANCH, "deploy/prod/fraud/deployment.yaml"))
                .hasValueSatisfying(text -> assertThat(text).contains("fraud version 1"));
        assertThat(repository.file(BRANCH, "deploy/prod/kustomization.yaml"))
                .hasValueSatisfying(text -> assertThat(text).contains("  - fraud\n"));
    }

    @Test
    void theCommitCarriesTheMessageAndAuthorOfTheCommitInfo() throws Exception {
        publisher.publish(target, render("prod", "fraud", 1, "deployment.yaml"), commit("fraud", 1));

        RevCommit made = repository.history(BRANCH).getFirst();
        assertThat(made.getFullMessage()).isEqualTo(commit("fraud", 1).message());
        assertThat(made.getAuthorIdent().getName()).isEqualTo("Axle");
        assertThat(made.getAuthorIdent().getEmailAddress()).isEqualTo("axle@example.com");
        assertThat(made.getCommitterIdent().getName()).isEqualTo("Axle");
    }

    @Test
    void publishingWhatTheBranchAlreadyHoldsMakesNoCommit() throws Exception {
        PublishResult first =
                publisher.publish(target, render("prod", "fraud", 1, "deployment.yaml"), commit("fraud", 1));

        PublishResult again =
                publisher.publish(target, render("prod", "fraud", 1, "deployment.yaml"), commit("fraud", 1));

        assertThat(again).isEqualTo(new PublishResult(first.commitSha(), false, 0));
        assertThat(repository.history(BRANCH)).hasSize(1);
    }

    @Test
    void aNewVersionIsOneCommitThatReplacesTheDeploymentsFilesAndLeavesOtherDeploymentsAlone() throws Exception {
        publisher.publish(target, render("prod", "fraud", 1, "deployment.yaml", "service.yaml"), commit("fraud", 1));
        publisher.publish(target, render("prod", "churn", 3, "deployment.yaml"), commit("churn", 3));
        publisher.publish(target, render("staging", "fraud", 1, "deployment.yaml"), commit("fraud", 1));

        PublishResult result = publisher.publish(
                target, render("prod", "fraud", 2, "deployment.yaml", "hpa.yaml"), commit("fraud", 2));

        assertThat(result.changed()).isTrue();
        List<RevCommit> history = repository.history(BRANCH);
        assertThat(history).hasSize(4);
        assertThat(history.getFirst().name()).isEqualTo(result.commitSha());
        assertThat(history.getFirst().getFullMessage())
                .isEqualTo(commit("fraud", 2).message());
        assertThat(repository.paths(BRANCH))
                .containsExactly(
                        "deploy/prod/churn/deployment.yaml",
                        "deploy/prod/churn/kustomization.yaml",
                        "deploy/prod/fraud/deployment.yaml",
                        "deploy/prod/fraud/hpa.yaml",
                        "deploy/prod/fraud/kustomization.yaml",
                        "deploy/prod/kustomization.yaml",
                        "deploy/staging/fraud/deployment.yaml",
                        "deploy/staging/fraud/kustomization.yaml",
                        "deploy/staging/kustomization.yaml");
        assertThat(repository.file(BRANCH, "deploy/prod/fraud/deployment.yaml"))
                .hasValueSatisfying(text -> assertThat(text).contains("fraud version 2"));
        assertThat(repository.file(BRANCH, "deploy/prod/churn/deployment.yaml"))
                .hasValueSatisfying(text -> assertThat(text).contains("churn version 3"));
        assertThat(repository.file(BRANCH, "deploy/staging/fraud/deployment.yaml"))
                .hasValueSatisfying(text -> assertThat(text).contains("fraud version 1"));
        assertThat(repository.file(BRANCH, "deploy/prod/kustomization.yaml"))
                .hasValueSatisfying(text -> assertThat(text).contains("  - churn\n  - fraud\n"));
    }

    @Test
    void filesOutsideTheGitOpsPathArePublishedAroundWithoutBeingTouched() throws Exception {
        repository.pushFromAnotherClone(temp, BRANCH, "README.md", "# cluster config\n", "readme");
        publisher.publish(target, render("prod", "fraud", 1, "deployment.yaml"), commit("fraud", 1));

        assertThat(repository.file(BRANCH, "README.md")).contains("# cluster config\n");
        assertThat(repository.history(BRANCH)).hasSize(2);
    }

    @Test
    void aPublisherStartedAgainReusesItsWorkCloneAndSeesWhatOthersPushedMeanwhile() throws Exception {
        publisher.publish(target, render("prod", "fraud", 1, "deployment.yaml"), commit("fraud", 1));
        publisher.close();
        repository.pushFromAnotherClone(
                temp, BRANCH, "deploy/prod/fraud/deployment.yaml", "edited by hand\n", "hand edit");

        publisher = new JGitPublisher(temp.resolve("work"), GitCredentialsResolver.fromEnvironment(Map.of()));
        PublishResult result =
                publisher.publish(target, render("prod", "fraud", 1, "deployment.yaml"), commit("fraud", 1));

        assertThat(result.changed()).isTrue();
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(repository.file(BRANCH, "deploy/prod/fraud/deployment.yaml"))
                .hasValueSatisfying(text -> assertThat(text).contains("fraud version 1"));
        assertThat(repository.history(BRANCH)).hasSize(3);
    }

    @Test
    void aWorkCloneLeftMidRebaseOrBrokenIsClonedAgain() throws Exception {
        publisher.publish(target, render("prod", "fraud", 1, "deployment.yaml"), commit("fraud", 1));
        Path workClone = temp.resolve("work").resolve(JGitPublisher.workCloneName(target));
        Files.createDirectories(workClone.resolve(".git/rebase-merge"));

        PublishResult second =
                publisher.publish(target, render("prod", "fraud", 2, "deployment.yaml"), commit("fraud", 2));
        Files.writeString(workClone.resolve(".git/HEAD"), "not a ref");
        PublishResult third =
                publisher.publish(target, render("prod", "fraud", 3, "deployment.yaml"), commit("fraud", 3));

        assertThat(second.changed()).isTrue();
        assertThat(third.changed()).isTrue();
        assertThat(repository.history(BRANCH)).hasSize(3);
        assertThat(repository.file(BRANCH, "deploy/prod/fraud/deployment.yaml"))
                .hasValueSatisfying(text -> assertThat(text).contains("fraud version 3"));
    }
}
