package io.axle.server.deploy.gitops;

import static io.axle.server.deploy.gitops.GitOpsFixtures.BRANCH;
import static io.axle.server.deploy.gitops.GitOpsFixtures.commit;
import static io.axle.server.deploy.gitops.GitOpsFixtures.render;
import static io.axle.server.deploy.gitops.GitOpsFixtures.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.server.deploy.render.GitOpsTarget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A second writer pushes between our fetch and our push, forced at that moment through the publisher's hook. */
class GitOpsPublisherConcurrencyTest {
    private static final GitCredentialsResolver ANONYMOUS = GitCredentialsResolver.fromEnvironment(Map.of());

    @TempDir
    Path temp;

    private BareRepository repository;
    private GitOpsTarget target;

    @BeforeEach
    void createRepositoryWithOneDeployment() throws Exception {
        repository = BareRepository.create(temp.resolve("gitops.git"));
        target = target(repository);
        try (JGitPublisher first = new JGitPublisher(temp.resolve("first"), ANONYMOUS)) {
            first.publish(target, render("prod", "aaa", 1, "deployment.yaml"), commit("aaa", 1));
        }
    }

    @Test
    void aPushRefusedBecauseTheBranchMovedIsRebasedIntoALinearHistoryHoldingBoth() throws Exception {
        JGitPublisher publisher = new JGitPublisher(temp.resolve("work"), ANONYMOUS, 5, attempt -> {
            if (attempt == 1) {
                repository.pushFromAnotherClone(temp, BRANCH, "README.md", "# hands off\n", "unrelated change");
            }
        });

        PublishResult result =
                publisher.publish(target, render("prod", "fraud", 2, "deployment.yaml"), commit("fraud", 2));

        assertThat(result.changed()).isTrue();
        assertThat(result.attempts()).isEqualTo(2);
        List<RevCommit> history = repository.history(BRANCH);
        assertThat(history)
                .extracting(RevCommit::getShortMessage)
                .containsExactly(
                        commit("fraud", 2).message(),
                        "unrelated change",
                        commit("aaa", 1).message());
        assertThat(history)
                .allSatisfy(commit -> assertThat(commit.getParentCount()).isLessThanOrEqualTo(1));
        assertThat(history.getFirst().name()).isEqualTo(result.commitSha());
        assertThat(history.getFirst().getAuthorIdent().getName()).isEqualTo("Axle");
        assertThat(history.getFirst().getCommitterIdent().getName()).isEqualTo("Axle");
        assertThat(repository.file(BRANCH, "README.md")).contains("# hands off\n");
        assertThat(repository.file(BRANCH, "deploy/prod/fraud/deployment.yaml"))
                .hasValueSatisfying(text -> assertThat(text).contains("fraud version 2"));
    }

    @Test
    void aFileAddedToTheDeploymentByHandDuringThePublishIsReplacedByTheRenderEvenThoughTheRebaseIsClean()
            throws Exception {
        JGitPublisher publisher = new JGitPublisher(temp.resolve("work"), ANONYMOUS, 5, attempt -> {
            if (attempt == 1) {
                repository.pushFromAnotherClone(
                        temp, BRANCH, "deploy/prod/aaa/debug.yaml", "kind: Pod\n", "hand-made debug pod");
            }
        });

        PublishResult result = publisher.publish(target, render("prod", "aaa", 2, "deployment.yaml"), commit("aaa", 2));

        assertThat(result.attempts()).isEqualTo(2);
        assertThat(repository.history(BRANCH))
                .extracting(RevCommit::getShortMessage)
                .containsExactly(
                        commit("aaa", 2).message(),
                        "hand-made debug pod",
                        commit("aaa", 1).message());
        assertThat(repository.file(BRANCH, "deploy/prod/aaa/debug.yaml")).isEmpty();
        assertThat(repository.file(BRANCH, "deploy/prod/aaa/deployment.yaml"))
                .hasValueSatisfying(text -> assertThat(text).contains("aaa version 2"));
    }

    @Test
    void whenTheRebaseConflictsTheFilesAreWrittenAgainOnTopOfTheOtherDeployersCommit() throws Exception {
        JGitPublisher other = new JGitPublisher(temp.resolve("other"), ANONYMOUS);
        // both add a deployment to environment prod, so both rewrite the same lines of prod/kustomization.yaml
        JGitPublisher publisher = new JGitPublisher(temp.resolve("work"), ANONYMOUS, 5, attempt -> {
            if (attempt == 1) {
                other.publish(target, render("prod", "churn", 7, "deployment.yaml"), commit("churn", 7));
            }
        });

        PublishResult result =
                publisher.publish(target, render("prod", "fraud", 2, "deployment.yaml"), commit("fraud", 2));

        assertThat(result.attempts()).isEqualTo(2);
        assertThat(repository.history(BRANCH))
                .extracting(RevCommit::getShortMessage)
                .containsExactly(
                        commit("fraud", 2).message(),
                        commit("churn", 7).message(),
                        commit("aaa", 1).message());
        assertThat(repository.file(BRANCH, "deploy/prod/kustomization.yaml"))
                .hasValueSatisfying(text -> assertThat(text).contains("  - aaa\n  - churn\n  - fraud\n"));
        assertThat(repository.file(BRANCH, "deploy/prod/churn/deployment.yaml")).isPresent();
        assertThat(repository.file(BRANCH, "deploy/prod/fraud/deployment.yaml")).isPresent();
    }

    @Test
    void whenAnotherDeployerPushedTheSameFilesMeanwhileNoCommitIsAdded() throws Exception {
        JGitPublisher other = new JGitPublisher(temp.resolve("other"), ANONYMOUS);
        JGitPublisher publisher = new JGitPublisher(temp.resolve("work"), ANONYMOUS, 5, attempt -> {
            if (attempt == 1) {
                other.publish(
                        target,
                        render("prod", "fraud", 2, "deployment.yaml"),
                        new CommitInfo("the same version, from the other server", "Axle", "axle@example.com"));
            }
        });

        PublishResult result =
                publisher.publish(target, render("prod", "fraud", 2, "deployment.yaml"), commit("fraud", 2));

        assertThat(result.changed()).isFalse();
        assertThat(repository.head(BRANCH)).contains(result.commitSha());
        assertThat(repository.history(BRANCH)).hasSize(2);
    }

    @Test
    void aBranchThatKeepsMovingIsGivenUpOnAfterTheLastAttempt() {
        AtomicInteger pushes = new AtomicInteger();
        JGitPublisher publisher = new JGitPublisher(
                temp.resolve("work"),
                ANONYMOUS,
                3,
                attempt -> repository.pushFromAnotherClone(
                        temp, BRANCH, "README.md", "edit " + pushes.incrementAndGet() + "\n", "edit"));

        assertThatThrownBy(() ->
                        publisher.publish(target, render("prod", "fraud", 2, "deployment.yaml"), commit("fraud", 2)))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("after 3 attempts")
                .hasMessageContaining(repository.url())
                .extracting(failure -> ((AxleException) failure).errorCode())
                .isEqualTo(ErrorCode.RESOURCE_CONFLICT);
    }

    @Test
    void twoThreadsPublishingDifferentDeploymentsThroughOnePublisherBothLand() throws Exception {
        JGitPublisher publisher = new JGitPublisher(temp.resolve("work"), ANONYMOUS);
        List<String> deployments = List.of("fraud", "churn");

        List<PublishResult> results = concurrently(deployments.stream()
                .map(deployment -> (Callable<PublishResult>) () -> publisher.publish(
                        target, render("prod", deployment, 1, "deployment.yaml"), commit(deployment, 1)))
                .toList());

        assertThat(results).allSatisfy(result -> assertThat(result.changed()).isTrue());
        assertThat(repository.history(BRANCH)).hasSize(3);
        assertThat(repository.file(BRANCH, "deploy/prod/kustomization.yaml"))
                .hasValueSatisfying(text -> assertThat(text).contains("  - aaa\n  - churn\n  - fraud\n"));
    }

    @Test
    void twoServersPublishingToOneRepositoryAtOnceLoseNoCommit() throws Exception {
        List<Callable<PublishResult>> tasks = new ArrayList<>();
        for (String server : List.of("east", "west")) {
            JGitPublisher publisher = new JGitPublisher(temp.resolve(server), ANONYMOUS, 10, attempt -> {});
            tasks.add(() -> {
                PublishResult last = null;
                for (int index = 0; index < 3; index++) {
                    String deployment = server + index;
                    last = publisher.publish(
                            target, render("prod", deployment, 1, "deployment.yaml"), commit(deployment, 1));
                }
                return last;
            });
        }

        concurrently(tasks);

        List<RevCommit> history = repository.history(BRANCH);
        assertThat(history).hasSize(7);
        assertThat(history)
                .allSatisfy(commit -> assertThat(commit.getParentCount()).isLessThanOrEqualTo(1));
        assertThat(repository.file(BRANCH, "deploy/prod/kustomization.yaml"))
                .hasValueSatisfying(text -> assertThat(text)
                        .contains("  - aaa\n  - east0\n  - east1\n  - east2\n  - west0\n  - west1\n  - west2\n"));
    }

    private static <T> List<T> concurrently(List<Callable<T>> tasks) throws Exception {
        CyclicBarrier start = new CyclicBarrier(tasks.size());
        ExecutorService threads = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(threads.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return task.call();
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }
}
