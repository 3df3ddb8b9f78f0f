package io.axle.server.deploy.render;

import static io.axle.server.deploy.render.RenderFixtures.onnx;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code kubectl kustomize} (Debian's kubectl carries kustomize) on a rendered directory, when it is installed. */
final class RenderKustomizeTest {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @TempDir
    Path checkout;

    @Test
    void kubectlKustomizeBuildsTheRenderedDirectory() throws Exception {
        Optional<Path> kubectl = kubectl();
        Assumptions.assumeTrue(
                kubectl.isPresent(), "kubectl is not installed (apt-get install kubectl): kustomize check skipped");
        RenderedFiles files = new Renderer().render(onnx(RenderFixtures.cpu()));
        files.writeTo(checkout);

        String output = run(
                kubectl.orElseThrow().toString(),
                "kustomize",
                checkout.resolve(files.directory()).toString());

        List<HasMetadata> resources = SERIALIZATION
                .unmarshal("apiVersion: v1\nkind: List\nitems:\n" + indentAsItems(output), KubernetesList.class)
                .getItems();
        assertThat(resources)
                .extracting(HasMetadata::getKind)
                .containsExactlyInAnyOrder(
                        "Deployment", "Service", "Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget");
    }

    @Test
    void kubectlKustomizeBuildsTheKserveDirectory() throws Exception {
        Optional<Path> kubectl = kubectl();
        Assumptions.assumeTrue(
                kubectl.isPresent(), "kubectl is not installed (apt-get install kubectl): kustomize check skipped");
        RenderedFiles files = new Renderer().render(onnx(RenderFixtures.cpu()).withWorkload(Workload.KSERVE));
        files.writeTo(checkout);

        String output = run(
                kubectl.orElseThrow().toString(),
                "kustomize",
                checkout.resolve(files.directory()).toString());

        assertThat(output).contains("kind: InferenceService").contains("apiVersion: serving.kserve.io/v1beta1");
    }

    @Test
    void kubectlKustomizeBuildsAWholeEnvironment() throws Exception {
        Optional<Path> kubectl = kubectl();
        Assumptions.assumeTrue(
                kubectl.isPresent(), "kubectl is not installed (apt-get install kubectl): kustomize check skipped");
        Renderer renderer = new Renderer();
        renderer.render(onnx(RenderFixtures.cpu())).writeTo(checkout);
        renderer.render(onnx(RenderFixtures.named("churn-api", "churn"))).writeTo(checkout);

        String output = run(
                kubectl.orElseThrow().toString(),
                "kustomize",
                checkout.resolve("deploy/production").toString());

        List<HasMetadata> resources = SERIALIZATION
                .unmarshal("apiVersion: v1\nkind: List\nitems:\n" + indentAsItems(output), KubernetesList.class)
                .getItems();
        assertThat(resources).hasSize(10);
        assertThat(resources)
                .filteredOn(resource -> resource.getKind().equals("Deployment"))
                .extracting(resource -> resource.getMetadata().getName())
                .containsExactlyInAnyOrder("churn-api", "fraud-api");
    }

    private static Optional<Path> kubectl() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String directory : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(directory, "kubectl");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(text).isZero();
        return text;
    }

    /** kustomize prints documents separated by {@code ---}; turn them into the items of a v1 List. */
    private static String indentAsItems(String documents) {
        StringBuilder items = new StringBuilder();
        for (String document : documents.split("(?m)^---\\s*$")) {
            if (document.isBlank()) {
                continue;
            }
            boolean first = true;
            for (String line : document.strip().split("\n")) {
                items.append(first ? "- " : "  ").append(line).append('\n');
                first = false;
            }
        }
        return items.toString();
    }
}
