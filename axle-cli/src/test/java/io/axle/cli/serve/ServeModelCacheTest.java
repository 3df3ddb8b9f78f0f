package io.axle.cli.serve;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.cli.client.Download;
import io.axle.cli.client.TrackingClient;
import io.axle.common.AxleException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resolving models:/ and runs:/ URIs through a real server and keeping verified copies in the model cache. */
final class ServeModelCacheTest {
    private static final byte[] WEIGHTS = "not really onnx, but bytes with a digest".getBytes(UTF_8);

    @TempDir
    Path directory;

    private ServedRegistry registry;
    private TrackingClient client;
    private RegistryClient registryClient;
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void startServer() {
        registry = ServedRegistry.start(directory.resolve("server"));
        client = registry.trackingClient();
        registryClient = new RegistryClient(client);
    }

    @AfterEach
    void stopServer() {
        client.close();
        registry.close();
    }

    @Test
    void aVersionIsDownloadedOnceAndAnAliasOfTheSameVersionReusesTheCachedCopy() throws IOException {
        String version = registry.register("fraud", ServedRegistry.modelFiles(WEIGHTS));
        registry.setAlias("fraud", "champion", version);
        CountingFiles files = new CountingFiles(registryClient);
        ModelCache cache = new ModelCache(directory.resolve("cache"), files, log::add);

        Path first = cache.fetch(registryClient.resolve("models:/fraud/1"));
        Path again = cache.fetch(registryClient.resolve("models:/fraud@champion"));

        assertThat(first).isEqualTo(directory.resolve("cache/models/fraud/1"));
        assertThat(again).isEqualTo(first);
        assertThat(first.resolve("model.onnx")).hasBinaryContent(WEIGHTS);
        assertThat(first.resolve("MLmodel")).content().contains("data: model.onnx");
        assertThat(first.resolve(ModelCache.MARKER)).exists();
        assertThat(files.opened.get()).as("files downloaded").isEqualTo(2);
        assertThat(log).anySatisfy(line -> assertThat(line).startsWith("downloaded fraud version 1 (2 files"));
        assertThat(log).anySatisfy(line -> assertThat(line).startsWith("using the cached copy of fraud version 1"));
    }

    @Test
    void aFileThatDoesNotMatchItsRecordedDigestFailsAndLeavesNothingInTheCache() throws IOException {
        registry.register("fraud", ServedRegistry.modelFiles(WEIGHTS));
        ResolvedModel resolved = registryClient.resolve("models:/fraud/1");
        Path onServer = registry.dataDirectory()
                .resolve("artifacts")
                .resolve(resolved.artifactUri().replaceFirst("^mlflow-artifacts:/", ""))
                .resolve("model.onnx");
        Files.write(onServer, "tampered with after registration".getBytes(UTF_8));
        Path root = directory.resolve("cache");
        ModelCache cache = new ModelCache(root, registryClient, log::add);

        assertThatThrownBy(() -> cache.fetch(resolved))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("model.onnx of fraud version 1 has SHA-256")
                .hasMessageContaining("nothing was cached");
        try (Stream<Path> left = Files.walk(root)) {
            assertThat(left.filter(Files::isRegularFile)).isEmpty();
        }
        assertThat(root.resolve("models/fraud/1")).doesNotExist();
    }

    @Test
    void aCachedCopyWhoseFileChangedSizeIsDownloadedAgain() throws IOException {
        registry.register("fraud", ServedRegistry.modelFiles(WEIGHTS));
        CountingFiles files = new CountingFiles(registryClient);
        ModelCache cache = new ModelCache(directory.resolve("cache"), files, log::add);
        Path entry = cache.fetch(registryClient.resolve("models:/fraud/1"));
        Files.writeString(entry.resolve("model.onnx"), "truncated");

        Path again = cache.fetch(registryClient.resolve("models:/fraud/1"));

        assertThat(again.resolve("model.onnx")).hasBinaryContent(WEIGHTS);
        assertThat(files.opened.get()).isEqualTo(4);
    }

    @Test
    void anEntryWithoutItsVerifiedMarkerIsReplaced() throws IOException {
        registry.register("fraud", ServedRegistry.modelFiles(WEIGHTS));
        Path root = directory.resolve("cache");
        // what a download killed half way through would have left, had it not used a temporary directory
        Files.createDirectories(root.resolve("models/fraud/1"));
        Files.writeString(root.resolve("models/fraud/1/model.onnx"), "partial");
        ModelCache cache = new ModelCache(root, registryClient, log::add);

        Path entry = cache.fetch(registryClient.resolve("models:/fraud/1"));

        assertThat(entry.resolve("model.onnx")).hasBinaryContent(WEIGHTS);
        assertThat(entry.resolve(ModelCache.MARKER)).exists();
        try (Stream<Path> siblings = Files.list(entry.getParent())) {
            assertThat(siblings.map(path -> path.getFileName().toString())).containsExactly("1");
        }
    }

    @Test
    void aRunsUriResolvesThroughTheServerAndIsCachedUnderItsRunAndPath() {
        String runId = registry.run(ServedRegistry.modelFiles(WEIGHTS));
        ModelCache cache = new ModelCache(directory.resolve("cache"), registryClient, log::add);

        ResolvedModel resolved = registryClient.resolve("runs:/" + runId + "/model");
        Path entry = cache.fetch(resolved);

        assertThat(resolved.version()).isEmpty();
        assertThat(resolved.runId()).contains(runId);
        assertThat(entry).isEqualTo(directory.resolve("cache/runs/" + runId + "/model"));
        assertThat(entry.resolve("model.onnx")).hasBinaryContent(WEIGHTS);
    }

    @Test
    void aStageAndAnAliasResolveToTheVersionTheyNameNow() {
        registry.register("fraud", ServedRegistry.modelFiles(WEIGHTS));
        String second = registry.register("fraud", ServedRegistry.modelFiles("v2".getBytes(UTF_8)));
        registry.transition("fraud", second, "Production");
        registry.setAlias("fraud", "champion", "1");

        assertThat(registryClient.resolve("models:/fraud/Production").version()).contains("2");
        assertThat(registryClient.resolve("models:/fraud@champion").version()).contains("1");
        assertThat(registryClient.resolve("models:/fraud@champion").aliases()).containsExactly("champion");
    }

    @Test
    void anUnknownModelIsAnErrorThatNamesIt() {
        assertThatThrownBy(() -> registryClient.resolve("models:/nobody@champion"))
                .isInstanceOf(AxleException.class)
                .hasMessageContaining("nobody");
    }

    @Test
    void aFileNamedOutsideTheModelDirectoryIsRefused() {
        ResolvedModel hostile = new ResolvedModel(
                "models:/evil/1",
                Optional.of("evil"),
                Optional.of("1"),
                Optional.empty(),
                List.of(),
                Optional.empty(),
                "mlflow-artifacts:/registry/evil/1",
                List.of(new ResolvedModel.ModelFile("../../escaped", 1, "00")));
        ModelCache cache = new ModelCache(
                directory.resolve("cache"),
                (model, file) -> new Download(new ByteArrayInputStream(new byte[1]), 1),
                log::add);

        assertThatThrownBy(() -> cache.fetch(hostile)).hasMessageContaining("outside the model directory");
        assertThat(directory.resolve("cache/models/escaped")).doesNotExist();
    }

    @Test
    void aModelNameWithASlashOrDotsStaysOneDirectoryInTheCache() {
        ModelCache cache = new ModelCache(
                directory,
                (model, file) -> {
                    throw new AssertionError("no download");
                },
                log::add);
        ResolvedModel model = new ResolvedModel(
                "models:/a/b",
                Optional.of(".."),
                Optional.of("1"),
                Optional.empty(),
                List.of(),
                Optional.empty(),
                "mlflow-artifacts:/x",
                List.of(new ResolvedModel.ModelFile("MLmodel", 1, "00")));

        assertThat(cache.entry(model).getParent().getFileName().toString()).isEqualTo("%2E.");
        assertThat(cache.entry(model).normalize()).startsWithRaw(directory.resolve("models"));
    }

    /** The real download, counted. */
    private static final class CountingFiles implements ModelCache.ArtifactFiles {
        private final ModelCache.ArtifactFiles delegate;
        private final AtomicInteger opened = new AtomicInteger();

        CountingFiles(ModelCache.ArtifactFiles delegate) {
            this.delegate = delegate;
        }

        @Override
        public Download open(ResolvedModel model, ResolvedModel.ModelFile file) {
            opened.incrementAndGet();
            return delegate.open(model, file);
        }
    }
}
