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
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Over SSH (JGit's Apache MINA sshd client) to an sshd server in the test, with a password or a deploy key. */
class GitOpsSshPublisherTest {
    private static final String PASSWORD = "sshTestPassword";

    @TempDir
    Path temp;

    private BareRepository repository;
    private SshGitServer server;
    private KeyPair deployKey;
    private Path sshDirectory;

    @BeforeEach
    void startServer() throws Exception {
        repository = BareRepository.create(temp.resolve("gitops.git"));
        deployKey = SshGitServer.newKeyPair();
        server = SshGitServer.start(repository, PASSWORD, deployKey.getPublic());
        sshDirectory = Files.createDirectories(temp.resolve("home/.ssh"));
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    @Test
    void aPasswordFromTheEnvironmentPublishesOverSsh() throws Exception {
        Files.writeString(sshDirectory.resolve("known_hosts"), server.knownHostsLine());
        try (JGitPublisher publisher = new JGitPublisher(
                temp.resolve("work"),
                GitCredentialsResolver.fromEnvironment(Map.of("GIT_USER", "git", "GIT_PASSWORD", PASSWORD)),
                sshDirectory)) {
            GitOpsTarget target = new GitOpsTarget(
                    server.url(), BRANCH, "deploy", new Credentials.FromEnvironment("GIT_USER", "GIT_PASSWORD"));

            PublishResult first =
                    publisher.publish(target, render("prod", "fraud", 1, "deployment.yaml"), commit("fraud", 1));
            PublishResult again =
                    publisher.publish(target, render("prod", "fraud", 1, "deployment.yaml"), commit("fraud", 1));

            assertThat(first.changed()).isTrue();
            assertThat(again.changed()).isFalse();
            assertThat(repository.head(BRANCH)).contains(first.commitSha());
        }
    }

    @Test
    void aDeployKeyInTheSshDirectoryPublishesWithoutCredentials() throws Exception {
        Files.writeString(sshDirectory.resolve("known_hosts"), server.knownHostsLine());
        try (OutputStream key = Files.newOutputStream(sshDirectory.resolve("id_ecdsa"))) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(deployKey, "axle deploy key", null, key);
        }
        try (JGitPublisher publisher = new JGitPublisher(
                temp.resolve("work"), GitCredentialsResolver.fromEnvironment(Map.of()), sshDirectory)) {
            GitOpsTarget target = new GitOpsTarget(server.url(), BRANCH, "deploy", new Credentials.None());

            PublishResult result =
                    publisher.publish(target, render("prod", "fraud", 1, "deployment.yaml"), commit("fraud", 1));

            assertThat(result.changed()).isTrue();
            assertThat(repository.file(BRANCH, "deploy/prod/fraud/deployment.yaml"))
                    .isPresent();
        }
    }

    @Test
    void aServerWhoseHostKeyIsNotKnownIsRefused() throws Exception {
        try (JGitPublisher publisher = new JGitPublisher(
                temp.resolve("work"),
                GitCredentialsResolver.fromEnvironment(Map.of("GIT_USER", "git", "GIT_PASSWORD", PASSWORD)),
                sshDirectory)) {
            GitOpsTarget target = new GitOpsTarget(
                    server.url(), BRANCH, "deploy", new Credentials.FromEnvironment("GIT_USER", "GIT_PASSWORD"));

            assertThatThrownBy(() -> publisher.publish(
                            target, render("prod", "fraud", 1, "deployment.yaml"), commit("fraud", 1)))
                    .isInstanceOf(AxleException.class)
                    .hasMessageContaining("GitOps repository " + server.url())
                    .hasMessageContaining("does not trust")
                    .hasMessageContaining("known_hosts")
                    .hasMessageNotContaining(PASSWORD)
                    .satisfies(failure -> assertThat(failure.getMessage()).doesNotContain("\n"))
                    .extracting(failure -> ((AxleException) failure).errorCode())
                    .isEqualTo(ErrorCode.INVALID_STATE);
            assertThat(repository.head(BRANCH)).isEmpty();
        }
    }
}
