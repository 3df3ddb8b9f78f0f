package io.axle.server.deploy;

import static io.axle.server.deploy.DeployFixtures.DEPLOYMENTS;
import static io.axle.server.deploy.DeployFixtures.await;
import static io.axle.server.deploy.DeployFixtures.ok;
import static io.axle.server.deploy.DeployFixtures.registerVersion;
import static io.axle.server.deploy.DeployFixtures.setAlias;
import static org.assertj.core.api.Assertions.assertThat;

import io.axle.server.AxleServer;
import io.axle.server.db.BackendStore;
import io.axle.server.db.Dialect;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.TestDatabases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two servers on one PostgreSQL database: every promotion is released by exactly one of them. */
class DeployReplicaTest {
    private static final int PROMOTIONS = 12;

    @TempDir
    Path data;

    @Test
    void twoServersOnOnePostgresReleaseEachPromotionOnce() throws Exception {
        BackendStore store = TestDatabases.create(Dialect.POSTGRESQL);
        RecordingPublisher firstPublisher = new RecordingPublisher();
        RecordingPublisher secondPublisher = new RecordingPublisher();
        try (AxleServer first = DeployFixtures.start(store, data, firstPublisher);
                AxleServer second = DeployFixtures.start(store, data, secondPublisher)) {
            List<ApiClient> replicas = List.of(new ApiClient(first.url()), new ApiClient(second.url()));
            ApiClient api = replicas.getFirst();
            ok(api.post(
                    DEPLOYMENTS,
                    DeployFixtures.deployment("fraud-api", "fraud", "champion", "https://git.example.com/g.git")));
            List<String> versions = new ArrayList<>();
            for (int index = 0; index < PROMOTIONS; index++) {
                versions.add(registerVersion(api, "fraud", Map.of()));
            }
            for (int index = 0; index < PROMOTIONS; index++) {
                setAlias(replicas.get(index % 2), "fraud", "champion", versions.get(index));
            }
            await(
                    "every promotion released",
                    () -> ok(api.get(DEPLOYMENTS + "/fraud-api/history?max_results=100"))
                                    .path("revisions")
                                    .size()
                            == PROMOTIONS);
            Thread.sleep(500);
            List<RecordingPublisher.Published> all = new ArrayList<>(firstPublisher.published());
            all.addAll(secondPublisher.published());
            assertThat(all).hasSize(PROMOTIONS);
            assertThat(all.stream()
                            .map(published -> published
                                    .commit()
                                    .message()
                                    .lines()
                                    .findFirst()
                                    .orElseThrow()))
                    .doesNotHaveDuplicates();
            assertThat(ok(api.get(DEPLOYMENTS + "/fraud-api/history?max_results=100"))
                            .path("revisions")
                            .findValuesAsText("event_seq"))
                    .doesNotHaveDuplicates();
        } finally {
            TestDatabases.drop(store);
        }
    }
}
