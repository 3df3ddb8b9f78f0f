package io.axle.server.deploy.render;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Builds the Kubernetes objects of one render with fabric8's typed model. Maps are sorted so output is stable. */
final class Manifests {
    static final String CONTAINER = "model-server";
    /** KServe finds a custom predictor's container by this name. */
    static final String KSERVE_CONTAINER = "kserve-container";

    static final String PORT_NAME = "http";
    static final int SERVICE_PORT = 80;
    private static final String GPU_RESOURCE = "nvidia.com/gpu";
    private static final String HAMI_MEMORY_RESOURCE = "nvidia.com/gpumem";

    private final RenderInput input;
    private final DeploymentSpec spec;
    private final KubernetesSerialization serialization;

    Manifests(RenderInput input, KubernetesSerialization serialization) {
        this.input = input;
        this.spec = input.spec();
        this.serialization = serialization;
    }

    Deployment deployment() {
        DeploymentBuilder builder = new DeploymentBuilder()
                .withMetadata(metadata(annotations()))
                .withNewSpec()
                .withNewSelector()
                .withMatchLabels(selector())
                .endSelector()
                .withNewStrategy()
                .withType("RollingUpdate")
                .withNewRollingUpdate()
                .withMaxSurge(new IntOrString(input.strategy().maxSurge()))
                .withMaxUnavailable(new IntOrString(input.strategy().maxUnavailable()))
                .endRollingUpdate()
                .endStrategy()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(podLabels())
                .withAnnotations(podAnnotations())
                .endMetadata()
                .withSpec(podSpec(CONTAINER))
                .endTemplate()
                .endSpec();
        // With an HPA the replica count is the HPA's: a count in Git would make Argo CD or Flux undo every scaling.
        if (spec.autoscaling() instanceof DeploymentSpec.Autoscaling.Off) {
            builder.editSpec().withReplicas(spec.replicas()).endSpec();
        }
        return builder.build();
    }

    Service service() {
        return new ServiceBuilder()
                .withMetadata(metadata(annotations()))
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(selector())
                .addNewPort()
                .withName(PORT_NAME)
                .withProtocol("TCP")
                .withPort(SERVICE_PORT)
                .withTargetPort(new IntOrString(PORT_NAME))
                .endPort()
                .endSpec()
                .build();
    }

    Ingress ingress(DeploymentSpec.Ingress.Route route) {
        return new IngressBuilder()
                .withMetadata(metadata(annotations()))
                .withNewSpec()
                .addNewRule()
                .withHost(route.host())
                .withNewHttp()
                .addNewPath()
                .withPath(route.path())
                .withPathType("Prefix")
                .withNewBackend()
                .withNewService()
                .withName(spec.name())
                .withNewPort()
                .withName(PORT_NAME)
                .endPort()
                .endService()
                .endBackend()
                .endPath()
                .endHttp()
                .endRule()
                .endSpec()
                .build();
    }

    HorizontalPodAutoscaler horizontalPodAutoscaler(DeploymentSpec.Autoscaling.Cpu autoscaling) {
        return new HorizontalPodAutoscalerBuilder()
                .withMetadata(metadata(annotations()))
                .withNewSpec()
                .withNewScaleTargetRef()
                .withApiVersion("apps/v1")
                .withKind("Deployment")
                .withName(spec.name())
                .endScaleTargetRef()
                .withMinReplicas(autoscaling.minReplicas())
                .withMaxReplicas(autoscaling.maxReplicas())
                .addNewMetric()
                .withType("Resource")
                .withNewResource()
                .withName("cpu")
                .withNewTarget()
                .withType("Utilization")
                .withAverageUtilization(autoscaling.cpuUtilizationPercent())
                .endTarget()
                .endResource()
                .endMetric()
                .endSpec()
                .build();
    }

    /** At most one pod away at a time through voluntary disruptions, which still lets a one-replica node drain. */
    PodDisruptionBudget podDisruptionBudget() {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(metadata(annotations()))
                .withNewSpec()
                .withMaxUnavailable(new IntOrString(1))
                .withNewSelector()
                .withMatchLabels(selector())
                .endSelector()
                .endSpec()
                .build();
    }

    /**
     * A KServe InferenceService whose predictor is the model server as a custom container; KServe then owns the
     * Service, routing and scaling.
     */
    GenericKubernetesResource inferenceService() {
        PodSpec pod = podSpec(KSERVE_CONTAINER);
        Map<String, Object> predictor = new LinkedHashMap<>();
        switch (spec.autoscaling()) {
            case DeploymentSpec.Autoscaling.Off off -> {
                predictor.put("minReplicas", spec.replicas());
                predictor.put("maxReplicas", spec.replicas());
            }
            case DeploymentSpec.Autoscaling.Cpu cpu -> {
                predictor.put("minReplicas", cpu.minReplicas());
                predictor.put("maxReplicas", cpu.maxReplicas());
                predictor.put("scaleMetric", "cpu");
                predictor.put("scaleTarget", cpu.cpuUtilizationPercent());
            }
        }
        Map<?, ?> podFields = serialization.convertValue(pod, Map.class);
        podFields.forEach((field, value) -> predictor.put((String) field, value));
        Map<String, Object> inferenceSpec = new LinkedHashMap<>();
        inferenceSpec.put("predictor", predictor);
        ObjectMeta metadata = metadata(annotations());
        metadata.getAnnotations().put("serving.kserve.io/deploymentMode", "RawDeployment");
        metadata.setAnnotations(new TreeMap<>(metadata.getAnnotations()));
        return new GenericKubernetesResourceBuilder()
                .withApiVersion("serving.kserve.io/v1beta1")
                .withKind("InferenceService")
                .withMetadata(metadata)
                .withAdditionalProperties(Map.of("spec", inferenceSpec))
                .build();
    }

    private PodSpec podSpec(String containerName) {
        PodSpecBuilder pod = new PodSpecBuilder()
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser((long) Dockerfiles.USER_ID)
                .withRunAsGroup((long) Dockerfiles.USER_ID)
                .withFsGroup((long) Dockerfiles.USER_ID)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .withContainers(container(containerName))
                .addNewVolume()
                .withName("tmp")
                .withNewEmptyDir()
                .endEmptyDir()
                .endVolume();
        if (input.flavor() == ModelFlavor.ONNX && input.packaging() == ModelPackaging.DOWNLOAD_AT_START) {
            pod.addNewVolume()
                    .withName("model-cache")
                    .withNewEmptyDir()
                    .endEmptyDir()
                    .endVolume();
        }
        switch (spec.gpu()) {
            case GpuMode.None none -> {}
            case GpuMode.Exclusive exclusive -> pod.withTolerations(gpuToleration());
            case GpuMode.Hami hami -> pod.withTolerations(gpuToleration());
            case GpuMode.Shared shared ->
                pod.withNodeSelector(sorted(Map.of(
                                "kubernetes.io/hostname", shared.node(),
                                "axle.io/gpu-pool", shared.pool())))
                        .withTolerations(gpuToleration());
        }
        return pod.build();
    }

    private Container container(String name) {
        ContainerBuilder container = new ContainerBuilder()
                .withName(name)
                .withImage(spec.imageRepository() + ":" + input.modelVersion())
                .withImagePullPolicy("IfNotPresent")
                .withArgs(arguments())
                .withEnv(environment())
                .addNewPort()
                .withName(PORT_NAME)
                .withContainerPort(Dockerfiles.PORT)
                .withProtocol("TCP")
                .endPort()
                .withResources(resources())
                .withStartupProbe(startupProbe())
                .withReadinessProbe(probe(input.flavor() == ModelFlavor.ONNX ? "/v2/health/ready" : "/ping", 5, 3))
                .withLivenessProbe(probe(input.flavor() == ModelFlavor.ONNX ? "/v2/health/live" : "/health", 10, 3))
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .endSecurityContext()
                .addNewVolumeMount()
                .withName("tmp")
                .withMountPath("/tmp")
                .endVolumeMount();
        if (input.flavor() == ModelFlavor.ONNX && input.packaging() == ModelPackaging.DOWNLOAD_AT_START) {
            container
                    .addNewVolumeMount()
                    .withName("model-cache")
                    .withMountPath(Dockerfiles.MODEL_CACHE)
                    .endVolumeMount();
        }
        return container.build();
    }

    /** Flags appended to the image's entrypoint: the GPU the server uses and its memory cap. */
    private List<String> arguments() {
        return switch (spec.gpu()) {
            case GpuMode.None none -> List.of();
            case GpuMode.Exclusive exclusive -> List.of("--device", "auto");
            case GpuMode.Shared shared ->
                List.of(
                        "--device",
                        shared.gpuUuid(),
                        "--gpu-memory-limit",
                        Checks.commandLineSize(Checks.gpuMemoryBytes("Shared GPU memory budget", shared.memory())));
            case GpuMode.Hami hami ->
                List.of(
                        "--device",
                        "auto",
                        "--gpu-memory-limit",
                        Checks.commandLineSize(hami.memoryMib() * Checks.MIB));
        };
    }

    private List<EnvVar> environment() {
        SortedMap<String, String> variables = new TreeMap<>(spec.environmentVariables());
        if (spec.gpu() instanceof GpuMode.Shared shared) {
            // Only the GPU admission chose is visible; it asks the device plugin for none.
            variables.put("NVIDIA_VISIBLE_DEVICES", shared.gpuUuid());
        }
        List<EnvVar> environment = new ArrayList<>();
        variables.forEach((name, value) -> environment.add(
                new EnvVarBuilder().withName(name).withValue(value).build()));
        return environment;
    }

    private io.fabric8.kubernetes.api.model.ResourceRequirements resources() {
        ComputeResources compute = spec.resources();
        SortedMap<String, Quantity> requests = new TreeMap<>();
        requests.put("cpu", new Quantity(compute.cpuRequest()));
        requests.put("memory", new Quantity(compute.memoryRequest()));
        SortedMap<String, Quantity> limits = new TreeMap<>();
        limits.put("cpu", new Quantity(compute.cpuLimit()));
        limits.put("memory", new Quantity(compute.memoryLimit()));
        switch (spec.gpu()) {
            case GpuMode.None none -> {}
            case GpuMode.Shared shared -> {}
            case GpuMode.Exclusive exclusive ->
                limits.put(GPU_RESOURCE, new Quantity(Integer.toString(exclusive.count())));
            case GpuMode.Hami hami -> {
                limits.put(GPU_RESOURCE, new Quantity(Integer.toString(hami.count())));
                limits.put(HAMI_MEMORY_RESOURCE, new Quantity(Long.toString(hami.memoryMib())));
            }
        }
        return new ResourceRequirementsBuilder()
                .withRequests(requests)
                .withLimits(limits)
                .build();
    }

    /** Generous: the first start downloads the model. Five minutes before the kubelet gives up. */
    private Probe startupProbe() {
        return new ProbeBuilder(probe("/ping", 5, 60)).withTimeoutSeconds(2).build();
    }

    private static Probe probe(String path, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet()
                .withPath(path)
                .withPort(new IntOrString(PORT_NAME))
                .endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(2)
                .withFailureThreshold(failureThreshold)
                .build();
    }

    private static Toleration gpuToleration() {
        return new TolerationBuilder()
                .withKey(GPU_RESOURCE)
                .withOperator("Exists")
                .withEffect("NoSchedule")
                .build();
    }

    private ObjectMeta metadata(SortedMap<String, String> annotations) {
        return new ObjectMetaBuilder()
                .withName(spec.name())
                .withNamespace(spec.environment().namespace())
                .withLabels(labels())
                .withAnnotations(annotations)
                .build();
    }

    /** The labels that never change between versions; the selector is a subset of them. */
    SortedMap<String, String> selector() {
        return sorted(Map.of(
                "app.kubernetes.io/name", spec.name(),
                "app.kubernetes.io/instance", instance()));
    }

    private SortedMap<String, String> labels() {
        SortedMap<String, String> labels = selector();
        labels.put("app.kubernetes.io/component", "model-server");
        labels.put("app.kubernetes.io/part-of", "axle");
        labels.put("app.kubernetes.io/managed-by", "axle");
        labels.put("axle.io/model", spec.registeredModel());
        labels.put("axle.io/environment", spec.environment().name());
        return labels;
    }

    private SortedMap<String, String> podLabels() {
        SortedMap<String, String> labels = labels();
        labels.put("app.kubernetes.io/version", Long.toString(input.modelVersion()));
        labels.put("axle.io/model-version", Long.toString(input.modelVersion()));
        return labels;
    }

    private SortedMap<String, String> annotations() {
        SortedMap<String, String> annotations = new TreeMap<>();
        annotations.put("axle.io/model-uri", input.modelUri());
        annotations.put("axle.io/model-version", Long.toString(input.modelVersion()));
        annotations.put("axle.io/follows", spec.follows().modelUri(spec.registeredModel()));
        return annotations;
    }

    private SortedMap<String, String> podAnnotations() {
        SortedMap<String, String> annotations = annotations();
        if (input.flavor() == ModelFlavor.ONNX) {
            annotations.put("prometheus.io/scrape", "true");
            annotations.put("prometheus.io/port", Integer.toString(Dockerfiles.PORT));
            annotations.put("prometheus.io/path", "/metrics");
        }
        if (spec.gpu() instanceof GpuMode.Shared shared) {
            annotations.put("axle.io/gpu-memory", shared.memory());
            annotations.put("axle.io/gpu-uuid", shared.gpuUuid());
        }
        return annotations;
    }

    /** Unique per environment, so one cluster can hold a model's staging and production deployments. */
    private String instance() {
        return spec.name() + "-" + spec.environment().name();
    }

    private static SortedMap<String, String> sorted(Map<String, String> map) {
        return new TreeMap<>(map);
    }
}
