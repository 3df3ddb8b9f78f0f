package io.axle.server.deploy.render;

import static io.axle.server.deploy.render.RenderFixtures.onnx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class RenderedFilesTest {
    @TempDir
    Path checkout;

    private final Renderer renderer = new Renderer();

    @Test
    void writingPutsEveryFileInTheDeploymentsDirectory() throws IOException {
        RenderedFiles files = renderer.render(onnx(RenderFixtures.cpu()));

        files.writeTo(checkout);

        Path directory = checkout.resolve("deploy/production/fraud-api");
        assertThat(names(directory))
                .containsExactly(
                        "Dockerfile",
                        "deployment.yaml",
                        "hpa.yaml",
                        "ingress.yaml",
                        "kustomization.yaml",
                        "pdb.yaml",
                        "service.yaml");
        assertThat(Files.readString(directory.resolve("deployment.yaml")))
                .isEqualTo(files.text("deploy/production/fraud-api/deployment.yaml"));
    }

    @Test
    void rewritingReplacesTheDirectoryAndDropsFilesTheNewRenderLacks() throws IOException {
        renderer.render(onnx(RenderFixtures.cpu())).writeTo(checkout);
        Path directory = checkout.resolve("deploy/production/fraud-api");
        Files.writeString(directory.resolve("stale.yaml"), "left over");

        renderer.render(onnx(RenderFixtures.withGpu(new GpuMode.Exclusive(1)))).writeTo(checkout);

        assertThat(names(directory))
                .containsExactly("Dockerfile", "deployment.yaml", "kustomization.yaml", "pdb.yaml", "service.yaml");
        assertThat(names(directory.getParent())).containsExactly("fraud-api", "kustomization.yaml");
    }

    @Test
    void theEnvironmentsKustomizationListsEveryDeploymentDirectory() throws IOException {
        renderer.render(onnx(RenderFixtures.cpu())).writeTo(checkout);
        renderer.render(onnx(RenderFixtures.named("churn-api", "churn"))).writeTo(checkout);

        assertThat(Files.readString(checkout.resolve("deploy/production/kustomization.yaml")))
                .isEqualTo("""
                        # Rendered by Axle: the deployments of environment production, one directory each.
                        # Do not edit: every render of a deployment in this environment writes this file again.
                        apiVersion: kustomize.config.k8s.io/v1beta1
                        kind: Kustomization
                        resources:
                          - churn-api
                          - fraud-api
                        """);
    }

    @Test
    void writingLeavesOtherDeploymentsAlone() throws IOException {
        Path neighbour = checkout.resolve("deploy/production/churn-api");
        Files.createDirectories(neighbour);
        Files.writeString(neighbour.resolve("deployment.yaml"), "kind: Deployment\n");

        renderer.render(onnx(RenderFixtures.cpu())).writeTo(checkout);

        assertThat(Files.readString(neighbour.resolve("deployment.yaml"))).isEqualTo("kind: Deployment\n");
    }

    @Test
    void aRenderHoldsOnlyFilesDirectlyInItsDirectory() {
        assertThatThrownBy(() -> new RenderedFiles(
                        "deploy/production/fraud-api",
                        new java.util.TreeMap<>(java.util.Map.of("deploy/production/other/x.yaml", new byte[0]))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a file directly in deploy/production/fraud-api");
    }

    @Test
    void anEmptyGitOpsPathPutsEnvironmentsAtTheRepositoryRoot() {
        DeploymentSpec atRoot = new DeploymentSpec(
                "fraud-api",
                "fraud",
                new DeploymentSpec.Follows.Stage("Production"),
                new DeploymentSpec.Environment("staging", "ml-staging"),
                1,
                new ComputeResources("1", "1", "1Gi", "1Gi"),
                new GpuMode.None(),
                new DeploymentSpec.Ingress.None(),
                new DeploymentSpec.Autoscaling.Off(),
                java.util.Map.of(),
                "registry.example.com/ml/fraud",
                new GitOpsTarget("file:///srv/gitops", "main", "", new GitOpsTarget.Credentials.None()));

        RenderedFiles files = renderer.render(onnx(atRoot));

        assertThat(files.directory()).isEqualTo("staging/fraud-api");
        assertThat(files.text("staging/fraud-api/deployment.yaml"))
                .contains("following models:/fraud/Production")
                .contains("replicas: 1");
    }

    private static List<String> names(Path directory) throws IOException {
        try (Stream<Path> children = Files.list(directory)) {
            return children.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }
}
