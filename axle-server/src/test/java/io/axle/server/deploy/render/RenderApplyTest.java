package io.axle.server.deploy.render;

import static io.axle.server.deploy.render.RenderFixtures.onnx;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code axle deploy apply} against fabric8's mock API server in CRUD mode. */
final class RenderApplyTest {
    private KubernetesMockServer server;
    private KubernetesClient client;
    private ClusterApplier applier;
    private final Renderer renderer = new Renderer();

    @BeforeEach
    void startServer() {
        server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient();
        applier = new KubernetesApplier(client);
    }

    @AfterEach
    void stopServer() {
        client.close();
        server.destroy();
    }

    @Test
    void applyingARenderCreatesEveryObjectInTheEnvironmentsNamespace() {
        ApplyResult result = applier.apply(renderer.render(onnx(RenderFixtures.cpu())));

        assertThat(result.applied())
                .containsExactly(
                        "Deployment ml-prod/fraud-api",
                        "HorizontalPodAutoscaler ml-prod/fraud-api",
                        "Ingress ml-prod/fraud-api",
                        "PodDisruptionBudget ml-prod/fraud-api",
                        "Service ml-prod/fraud-api");
        assertThat(result.deleted()).isEmpty();
        Deployment deployment = client.apps()
                .deployments()
                .inNamespace("ml-prod")
                .withName("fraud-api")
                .get();
        assertThat(deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .getFirst()
                        .getImage())
                .isEqualTo("registry.example.com/ml/fraud:7");
        assertThat(client.services()
                        .inNamespace("ml-prod")
                        .withName("fraud-api")
                        .get())
                .isNotNull();
    }

    @Test
    void applyingTheNextVersionReplacesTheDeployment() {
        applier.apply(renderer.render(onnx(RenderFixtures.cpu())));

        applier.apply(
                renderer.render(RenderInput.of(RenderFixtures.cpu(), 8, ModelFlavor.ONNX, RolloutStrategy.surge())));

        Deployment deployment = client.apps()
                .deployments()
                .inNamespace("ml-prod")
                .withName("fraud-api")
                .get();
        assertThat(deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .getFirst()
                        .getImage())
                .isEqualTo("registry.example.com/ml/fraud:8");
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("axle.io/model-version", "8");
    }

    @Test
    void objectsTheNewRenderNoLongerHasAreDeletedAndOthersAreLeftAlone() {
        applier.apply(renderer.render(onnx(RenderFixtures.cpu())));
        Service unrelated = new ServiceBuilder()
                .withNewMetadata()
                .withName("churn-api")
                .withNamespace("ml-prod")
                .addToLabels("app.kubernetes.io/managed-by", "axle")
                .addToLabels("app.kubernetes.io/instance", "churn-api-production")
                .endMetadata()
                .build();
        client.resource(unrelated).create();

        ApplyResult result = applier.apply(renderer.render(onnx(RenderFixtures.withGpu(new GpuMode.Exclusive(1)))));

        assertThat(result.deleted())
                .containsExactlyInAnyOrder("Ingress ml-prod/fraud-api", "HorizontalPodAutoscaler ml-prod/fraud-api");
        assertThat(client.resources(Ingress.class).inNamespace("ml-prod").list().getItems())
                .isEmpty();
        assertThat(client.resources(HorizontalPodAutoscaler.class)
                        .inNamespace("ml-prod")
                        .list()
                        .getItems())
                .isEmpty();
        assertThat(client.services()
                        .inNamespace("ml-prod")
                        .withName("churn-api")
                        .get())
                .isNotNull();
    }

    @Test
    void switchingToKserveAppliesAnInferenceServiceAndRemovesTheDeployment() {
        applier.apply(renderer.render(onnx(RenderFixtures.cpu())));

        ApplyResult result =
                applier.apply(renderer.render(onnx(RenderFixtures.cpu()).withWorkload(Workload.KSERVE)));

        assertThat(result.applied()).containsExactly("InferenceService ml-prod/fraud-api");
        assertThat(result.deleted()).contains("Deployment ml-prod/fraud-api", "Service ml-prod/fraud-api");
        assertThat(client.genericKubernetesResources(KubernetesApplier.INFERENCE_SERVICES)
                        .inNamespace("ml-prod")
                        .withName("fraud-api")
                        .get()
                        .getKind())
                .isEqualTo("InferenceService");
        assertThat(client.apps().deployments().inNamespace("ml-prod").list().getItems())
                .isEmpty();
    }
}
