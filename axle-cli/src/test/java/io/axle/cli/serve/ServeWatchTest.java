package io.axle.cli.serve;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.cli.client.TrackingClient;
import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.axle.serving.Model;
import io.axle.serving.ModelHandle;
import io.axle.serving.ModelSignature;
import io.axle.serving.Predictor;
import io.axle.serving.ServedModel;
import io.axle.serving.Tensor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --watch}: following an alias or a stage on a real registry and swapping the served model. */
final class ServeWatchTest {
    @TempDir
    Path directory;

    private ServedRegistry registry;
    private TrackingClient client;
    private RegistryClient registryClient;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<String> switchedTo = new CopyOnWriteArrayList<>();

    @BeforeEach
    void registerTwoVersions() {
        registry = ServedRegistry.start(directory.resolve("server"));
        client = registry.trackingClient();
        registryClient = new RegistryClient(client);
        registry.register("fraud", ServedRegistry.modelFiles("one".getBytes(UTF_8)));
        registry.register("fraud", ServedRegistry.modelFiles("two".getBytes(UTF_8)));
        registry.setAlias("fraud", "champion", "1");
    }

    @AfterEach
    void stopServer() {
        client.close();
        registry.close();
    }

    @Test
    void movingTheAliasSwitchesToTheVersionItNamesNowAndOnlyOnce() {
        VersionWatcher watcher = watcher("models:/fraud@champion", next -> switchedTo.add(next.describe()));

        assertThat(watcher.poll()).isEmpty();
        registry.setAlias("fraud", "champion", "2");
        assertThat(watcher.poll()).contains("2");
        assertThat(watcher.poll()).isEmpty();

        assertThat(switchedTo).containsExactly("fraud version 2");
        assertThat(watcher.servedVersion()).isEqualTo("2");
        assertThat(log).contains("now serving fraud version 2 (was version 1)");
    }

    @Test
    void aStageFollowsTheVersionTransitionedIntoIt() {
        registry.transition("fraud", "1", "Production");
        VersionWatcher watcher = watcher("models:/fraud/Production", next -> switchedTo.add(next.describe()));

        registry.transition("fraud", "2", "Production");

        assertThat(watcher.poll()).contains("2");
        assertThat(switchedTo).containsExactly("fraud version 2");
    }

    @Test
    void aVersionThatFailsToLoadLeavesTheOldOneServingAndIsTriedAgain() {
        AtomicInteger attempts = new AtomicInteger();
        VersionWatcher watcher = watcher("models:/fraud@champion", next -> {
            if (attempts.incrementAndGet() == 1) {
                throw new AxleException(ErrorCode.IO_ERROR, "disk full");
            }
            switchedTo.add(next.describe());
        });
        registry.setAlias("fraud", "champion", "2");

        assertThatThrownBy(watcher::poll).hasMessage("disk full");
        assertThat(watcher.servedVersion()).isEqualTo("1");
        assertThat(watcher.poll()).contains("2");
        assertThat(switchedTo).containsExactly("fraud version 2");
    }

    @Test
    void theBackgroundPollerSwapsTheHandlesModelAndKeepsGoingAfterAFailure() throws InterruptedException {
        RecordedModel first = new RecordedModel("1");
        ModelHandle handle = new ModelHandle(new ServedModel(first, Predictor.direct(first)));
        AtomicBoolean failOnce = new AtomicBoolean(true);
        try (VersionWatcher watcher = watcher("models:/fraud@champion", next -> {
            if (failOnce.getAndSet(false)) {
                throw new AxleException(ErrorCode.IO_ERROR, "registry hiccup");
            }
            RecordedModel loaded = new RecordedModel(next.version().orElseThrow());
            handle.swap(new ServedModel(loaded, Predictor.direct(loaded)));
        })) {
            ModelHandle.Lease inFlight = handle.acquire();
            watcher.start(Duration.ofMillis(20));
            registry.setAlias("fraud", "champion", "2");

            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!watcher.servedVersion().equals("2") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }

            assertThat(handle.peek().model().version()).contains("2");
            assertThat(log)
                    .anySatisfy(line -> assertThat(line)
                            .contains("registry hiccup; still serving version 1, trying again at the next poll"));
            // a request that leased the old model finishes on it; the old model closes after it
            assertThat(first.closed.get()).isFalse();
            inFlight.close();
            assertThat(first.closed.get()).isTrue();
        }
        handle.close();
    }

    private VersionWatcher watcher(String uri, java.util.function.Consumer<ResolvedModel> switchTo) {
        ResolvedModel now = registryClient.resolve(uri);
        return new VersionWatcher(uri, now.version().orElseThrow(), registryClient::resolve, switchTo, log::add);
    }

    /** A model that only remembers its version and whether it was closed. */
    private static final class RecordedModel implements Model {
        private final String version;
        private final AtomicBoolean closed = new AtomicBoolean();

        RecordedModel(String version) {
            this.version = version;
        }

        @Override
        public String name() {
            return "fraud";
        }

        @Override
        public Optional<String> version() {
            return Optional.of(version);
        }

        @Override
        public String platform() {
            return "recorded";
        }

        @Override
        public ModelSignature signature() {
            return new ModelSignature(List.of(), List.of());
        }

        @Override
        public Map<String, Tensor> predict(Map<String, Tensor> inputs) {
            return Map.of();
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }
}
