package io.axle.server.deploy;

import static io.axle.server.deploy.DeployFixtures.DEPLOYMENTS;
import static io.axle.server.deploy.DeployFixtures.await;
import static io.axle.server.deploy.DeployFixtures.deploymentOf;
import static io.axle.server.deploy.DeployFixtures.ok;
import static io.axle.server.deploy.DeployFixtures.registerVersion;
import static io.axle.server.deploy.DeployFixtures.setAlias;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.server.AxleServer;
import io.axle.server.db.BackendStore;
import io.axle.server.db.Dialect;
import io.axle.server.deploy.gitops.CommitInfo;
import io.axle.server.deploy.gitops.GitOpsPublisher;
import io.axle.server.deploy.gitops.PublishResult;
import io.axle.server.deploy.render.GitOpsTarget;
import io.axle.server.deploy.render.RenderedFiles;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.TestDatabases;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A release whose publishing fails is FAILED with the reason, and a retry publishes it once Git is back. */
class DeployFailureTest {
    @TempDir
    Path data;

    @Test
    void withoutAPublisherAReleaseFailsSayingSo() {
        BackendStore store = TestDatabases.create(Dialect.H2);
        try (AxleServer server = DeployFixtures.start(store, data, new NotConfiguredPublisher())) {
            ApiClient api = new ApiClient(server.url());
            ok(api.post(DEPLOYMENTS, DeployFixtures.deployment("fraud-api", "fraud", "champion", "file:///srv/g")));
            setAlias(api, "fraud", "champion", registerVersion(api, "fraud", Map.of()));
            await(
                    "failed",
                    () -> deploymentOf(api, "fraud-api").path("status").asText().equals("FAILED"));
            assertThat(deploymentOf(api, "fraud-api").path("status_message").asText())
                    .contains("GitOps publishing is not configured");
        } finally {
            TestDatabases.drop(store);
        }
    }

    @Test
    void aFailedPublishIsRetried() {
        AtomicBoolean gitIsDown = new AtomicBoolean(true);
        RecordingPublisher recording = new RecordingPublisher();
        GitOpsPublisher flaky = new GitOpsPublisher() {
            @Override
            public PublishResult publish(GitOpsTarget target, RenderedFiles files, CommitInfo commit) {
                if (gitIsDown.get()) {
                    throw new UncheckedIOException(new java.io.IOException("Connection refused: git.example.com"));
                }
                return recording.publish(target, files, commit);
            }
        };
        BackendStore store = TestDatabases.create(Dialect.H2);
        try (AxleServer server = DeployFixtures.start(store, data, flaky)) {
            ApiClient api = new ApiClient(server.url());
            ok(api.post(DEPLOYMENTS, DeployFixtures.deployment("fraud-api", "fraud", "champion", "file:///srv/g")));
            setAlias(api, "fraud", "champion", registerVersion(api, "fraud", Map.of()));
            await(
                    "failed",
                    () -> deploymentOf(api, "fraud-api").path("status").asText().equals("FAILED"));
            assertThat(deploymentOf(api, "fraud-api").path("status_message").asText())
                    .contains("Publishing version 1 to file:///srv/g failed")
                    .contains("Connection refused");

            gitIsDown.set(false);
            JsonNode retried =
                    ok(api.post(DEPLOYMENTS + "/fraud-api/retry", Map.of())).path("deployment");
            assertThat(retried.path("status").asText()).isEqualTo("READY");
            assertThat(retried.path("current_version").asLong()).isEqualTo(1);
            assertThat(recording.commits()).hasSize(1);
            assertThat(ok(api.get(DEPLOYMENTS + "/fraud-api/history")).path("revisions"))
                    .hasSize(1);
        } finally {
            TestDatabases.drop(store);
        }
    }
}
