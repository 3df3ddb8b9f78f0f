package io.axle.server.deploy.render;

import static io.axle.server.deploy.render.RenderFixtures.onnx;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class RenderGoldenTest {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private static final String DIRECTORY = "deploy/production/fraud-api";

    private final Renderer renderer = new Renderer();

    @Test
    void cpuDeploymentRendersEveryManifestWithIngressAutoscalingAndDisruptionBudget() {
        RenderedFiles files = renderer.render(onnx(RenderFixtures.cpu()));

        assertThat(files.directory()).isEqualTo(DIRECTORY);
        assertThat(files.byFileName().keySet())
                .containsExactly(
                        "Dockerfile",
                        "deployment.yaml",
                        "hpa.yaml",
                        "ingress.yaml",
                        "kustomization.yaml",
                        "pdb.yaml",
                        "service.yaml");
        Golden.assertAllMatch("cpu", files);

        Deployment deployment = parse(files, "deployment.yaml", Deployment.class);
        assertThat(deployment.getSpec().getReplicas())
                .as("the HPA owns the replica count")
                .isNull();
        assertThat(deployment.getSpec().getSelector().getMatchLabels())
                .containsOnly(
                        Map.entry("app.kubernetes.io/name", "fraud-api"),
                        Map.entry("app.kubernetes.io/instance", "fraud-api-production"));
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/version", "7")
                .containsEntry("axle.io/model", "fraud")
                .containsEntry("axle.io/model-version", "7");
        assertThat(deployment.getMetadata().getAnnotations()).containsEntry("axle.io/model-uri", "models:/fraud/7");
        Container container = container(deployment);
        assertThat(container.getImage()).isEqualTo("registry.example.com/ml/fraud:7");
        assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/ping");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/ready");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/live");
        assertThat(container.getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
        assertThat(container.getEnv())
                .extracting(variable -> variable.getName())
                .containsExactly("AXLE_LOG_LEVEL", "MLFLOW_TRACKING_URI");
        assertThat(deployment
                        .getSpec()
                        .getStrategy()
                        .getRollingUpdate()
                        .getMaxSurge()
                        .getIntVal())
                .isEqualTo(1);

        Service service = parse(files, "service.yaml", Service.class);
        assertThat(service.getSpec().getSelector())
                .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        Ingress ingress = parse(files, "ingress.yaml", Ingress.class);
        assertThat(ingress.getApiVersion()).isEqualTo("networking.k8s.io/v1");
        assertThat(ingress.getSpec().getRules().getFirst().getHost()).isEqualTo("fraud.models.example.com");
        HorizontalPodAutoscaler hpa = parse(files, "hpa.yaml", HorizontalPodAutoscaler.class);
        assertThat(hpa.getApiVersion()).isEqualTo("autoscaling/v2");
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(6);
        assertThat(hpa.getSpec()
                        .getMetrics()
                        .getFirst()
                        .getResource()
                        .getTarget()
                        .getAverageUtilization())
                .isEqualTo(70);
        PodDisruptionBudget pdb = parse(files, "pdb.yaml", PodDisruptionBudget.class);
        assertThat(pdb.getApiVersion()).isEqualTo("policy/v1");
        assertThat(pdb.getSpec().getSelector().getMatchLabels())
                .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void exclusiveGpuAsksTheDevicePluginForWholeGpusOnACudaImage() {
        RenderedFiles files = renderer.render(onnx(RenderFixtures.withGpu(new GpuMode.Exclusive(1))));

        Golden.assertAllMatch("gpu-exclusive", files);
        assertThat(files.text(DIRECTORY + "/Dockerfile"))
                .contains("FROM nvidia/cuda:")
                .contains("NVIDIA_DRIVER_CAPABILITIES=compute,utility");
        Deployment deployment = parse(files, "deployment.yaml", Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(container(deployment).getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(pod(deployment).getTolerations())
                .singleElement()
                .satisfies(toleration -> assertThat(toleration.getKey()).isEqualTo("nvidia.com/gpu"));
        assertThat(container(deployment).getArgs()).containsExactly("--device", "auto");
    }

    @Test
    void sharedGpuPinsTheNodeAndShowsOnlyTheAdmittedGpu() {
        RenderedFiles files = renderer.render(onnx(RenderFixtures.withGpu(RenderFixtures.shared())));

        Golden.assertMatches("gpu-shared", "deployment.yaml", files.text(DIRECTORY + "/deployment.yaml"));
        Deployment deployment = parse(files, "deployment.yaml", Deployment.class);
        assertThat(pod(deployment).getNodeSelector())
                .containsOnly(
                        Map.entry("axle.io/gpu-pool", "a100-pool"), Map.entry("kubernetes.io/hostname", "gpu-node-3"));
        assertThat(container(deployment).getEnv()).anySatisfy(variable -> {
            assertThat(variable.getName()).isEqualTo("NVIDIA_VISIBLE_DEVICES");
            assertThat(variable.getValue()).isEqualTo("GPU-5d8f2c1e-0b7a-4c9e-9f3d-2a6b8e1c4d70");
        });
        assertThat(container(deployment).getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
        assertThat(pod(deployment).getTolerations()).hasSize(1);
        assertThat(container(deployment).getArgs())
                .containsExactly("--device", "GPU-5d8f2c1e-0b7a-4c9e-9f3d-2a6b8e1c4d70", "--gpu-memory-limit", "6Gi");
    }

    @Test
    void hamiAsksForAVirtualGpuWithItsMemoryInMebibytes() {
        RenderedFiles files = renderer.render(onnx(RenderFixtures.withGpu(new GpuMode.Hami(1, "3.5Gi"))));

        Golden.assertMatches("gpu-hami", "deployment.yaml", files.text(DIRECTORY + "/deployment.yaml"));
        Deployment deployment = parse(files, "deployment.yaml", Deployment.class);
        assertThat(container(deployment).getResources().getLimits())
                .containsEntry("nvidia.com/gpu", new Quantity("1"))
                .containsEntry("nvidia.com/gpumem", new Quantity("3584"));
        assertThat(container(deployment).getArgs()).containsExactly("--device", "auto", "--gpu-memory-limit", "3584Mi");
    }

    @Test
    void aRolloutWithoutSurgeStopsAnOldReplicaBeforeStartingItsSuccessor() {
        RenderInput input = RenderInput.of(
                RenderFixtures.withGpu(RenderFixtures.shared()), 7, ModelFlavor.ONNX, RolloutStrategy.withoutSurge());

        RenderedFiles files = renderer.render(input);

        Golden.assertMatches("no-surge", "deployment.yaml", files.text(DIRECTORY + "/deployment.yaml"));
        Deployment deployment = parse(files, "deployment.yaml", Deployment.class);
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(deployment
                        .getSpec()
                        .getStrategy()
                        .getRollingUpdate()
                        .getMaxSurge()
                        .getIntVal())
                .isZero();
        assertThat(deployment
                        .getSpec()
                        .getStrategy()
                        .getRollingUpdate()
                        .getMaxUnavailable()
                        .getIntVal())
                .isEqualTo(1);
    }

    @Test
    void aPythonOnlyModelGetsMlflowsPythonServerWithTheModelBakedIn() {
        RenderInput input = RenderInput.of(
                RenderFixtures.withGpu(new GpuMode.None()), 7, ModelFlavor.PYTHON_ONLY, RolloutStrategy.surge());

        RenderedFiles files = renderer.render(input);

        Golden.assertMatches("python-only", "Dockerfile", files.text(DIRECTORY + "/Dockerfile"));
        Golden.assertMatches("python-only", "deployment.yaml", files.text(DIRECTORY + "/deployment.yaml"));
        Deployment deployment = parse(files, "deployment.yaml", Deployment.class);
        assertThat(container(deployment).getReadinessProbe().getHttpGet().getPath())
                .isEqualTo("/ping");
        assertThat(container(deployment).getLivenessProbe().getHttpGet().getPath())
                .isEqualTo("/health");
    }

    @Test
    void aBakedImageCopiesTheModelAndServesItFromTheImage() {
        RenderInput input = onnx(RenderFixtures.cpu()).withPackaging(ModelPackaging.BAKED);

        RenderedFiles files = renderer.render(input);

        Golden.assertMatches("baked", "Dockerfile", files.text(DIRECTORY + "/Dockerfile"));
        assertThat(files.text(DIRECTORY + "/Dockerfile"))
                .contains("COPY model/ /opt/axle/model/")
                .doesNotContain("models:/fraud/7\"");
    }

    @Test
    void kserveRendersAnInferenceServiceInsteadOfDeploymentAndService() {
        RenderInput input = onnx(RenderFixtures.cpu()).withWorkload(Workload.KSERVE);

        RenderedFiles files = renderer.render(input);

        assertThat(files.byFileName().keySet())
                .containsExactly("Dockerfile", "inferenceservice.yaml", "kustomization.yaml");
        Golden.assertAllMatch("kserve", files);
        GenericKubernetesResource inferenceService =
                parse(files, "inferenceservice.yaml", GenericKubernetesResource.class);
        assertThat(inferenceService.getApiVersion()).isEqualTo("serving.kserve.io/v1beta1");
        assertThat(inferenceService.getKind()).isEqualTo("InferenceService");
        Map<String, Object> predictor = inferenceService.get("spec", "predictor");
        assertThat(predictor).containsEntry("minReplicas", 2).containsEntry("maxReplicas", 6);
        List<Map<String, Object>> containers = inferenceService.get("spec", "predictor", "containers");
        assertThat(containers)
                .singleElement()
                .satisfies(container -> assertThat(container)
                        .containsEntry("name", "kserve-container")
                        .containsEntry("image", "registry.example.com/ml/fraud:7"));
    }

    @Test
    void renderingTheSameInputTwiceGivesByteIdenticalFiles() {
        for (RenderInput input : List.of(
                onnx(RenderFixtures.cpu()),
                onnx(RenderFixtures.withGpu(RenderFixtures.shared())),
                onnx(RenderFixtures.cpu()).withWorkload(Workload.KSERVE))) {
            RenderedFiles first = new Renderer().render(input);
            RenderedFiles second = new Renderer().render(input);
            assertThat(second)
                    .as("%s renders the same bytes twice", input.spec().gpu())
                    .isEqualTo(first);
            first.files()
                    .forEach((path, content) ->
                            assertThat(second.files().get(path)).as(path).isEqualTo(content));
        }
    }

    @Test
    void everyManifestParsesBackWithFabric8IntoItsNamespace() {
        for (RenderInput input : List.of(
                onnx(RenderFixtures.cpu()),
                onnx(RenderFixtures.withGpu(new GpuMode.Exclusive(2))),
                onnx(RenderFixtures.withGpu(RenderFixtures.shared())),
                onnx(RenderFixtures.withGpu(new GpuMode.Hami(1, "4Gi"))),
                onnx(RenderFixtures.cpu()).withWorkload(Workload.KSERVE))) {
            RenderedFiles files = renderer.render(input);
            files.byFileName().forEach((name, content) -> {
                if (name.endsWith(".yaml") && !name.equals("kustomization.yaml")) {
                    HasMetadata resource = SERIALIZATION.unmarshal(files.text(DIRECTORY + "/" + name));
                    assertThat(resource.getMetadata().getName()).as(name).isEqualTo("fraud-api");
                    assertThat(resource.getMetadata().getNamespace()).as(name).isEqualTo("ml-prod");
                    assertThat(resource.getMetadata().getLabels())
                            .as(name)
                            .containsEntry("app.kubernetes.io/managed-by", "axle");
                    assertThat(resource.getMetadata().getCreationTimestamp())
                            .as(name)
                            .isNull();
                }
            });
        }
    }

    @Test
    void theKustomizationListsEveryManifestButNotTheDockerfile() {
        RenderedFiles files = renderer.render(onnx(RenderFixtures.cpu()));

        assertThat(files.text(DIRECTORY + "/kustomization.yaml"))
                .contains("kind: Kustomization")
                .contains("  - deployment.yaml\n")
                .doesNotContain("Dockerfile\n");
    }

    static <T> T parse(RenderedFiles files, String name, Class<T> type) {
        return SERIALIZATION.unmarshal(files.text(DIRECTORY + "/" + name), type);
    }

    static PodSpec pod(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec();
    }

    static Container container(Deployment deployment) {
        return pod(deployment).getContainers().getFirst();
    }
}
