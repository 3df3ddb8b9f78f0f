package io.axle.server.deploy.render;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;

/**
 * Renders a deployment's Dockerfile and Kubernetes manifests. Pure and deterministic: the same input gives
 * byte-identical files, with no timestamps and every map sorted, so a promotion to an unchanged version commits
 * nothing.
 */
public final class Renderer {
    static final String DOCKERFILE = "Dockerfile";
    static final String DEPLOYMENT = "deployment.yaml";
    static final String SERVICE = "service.yaml";
    static final String INGRESS = "ingress.yaml";
    static final String HPA = "hpa.yaml";
    static final String PDB = "pdb.yaml";
    static final String INFERENCE_SERVICE = "inferenceservice.yaml";
    static final String KUSTOMIZATION = "kustomization.yaml";

    private final KubernetesSerialization serialization = new KubernetesSerialization();

    public RenderedFiles render(RenderInput input) {
        DeploymentSpec spec = input.spec();
        String gitOpsPath = spec.gitOps().path();
        String directory = (gitOpsPath.isEmpty() ? "" : gitOpsPath + "/")
                + spec.environment().name() + "/" + spec.name();
        String header = Header.comment(input);
        Manifests manifests = new Manifests(input, serialization);
        TreeMap<String, String> files = new TreeMap<>();
        files.put(DOCKERFILE, Dockerfiles.render(input));
        switch (input.workload()) {
            case DEPLOYMENT -> {
                files.put(DEPLOYMENT, yaml(header, manifests.deployment()));
                files.put(SERVICE, yaml(header, manifests.service()));
                files.put(PDB, yaml(header, manifests.podDisruptionBudget()));
                if (spec.ingress() instanceof DeploymentSpec.Ingress.Route route) {
                    files.put(INGRESS, yaml(header, manifests.ingress(route)));
                }
                if (spec.autoscaling() instanceof DeploymentSpec.Autoscaling.Cpu cpu) {
                    files.put(HPA, yaml(header, manifests.horizontalPodAutoscaler(cpu)));
                }
            }
            case KSERVE -> files.put(INFERENCE_SERVICE, yaml(header, manifests.inferenceService()));
        }
        files.put(KUSTOMIZATION, kustomization(header, files));
        TreeMap<String, byte[]> bytes = new TreeMap<>();
        files.forEach((name, text) -> bytes.put(directory + "/" + name, text.getBytes(StandardCharsets.UTF_8)));
        return new RenderedFiles(directory, bytes);
    }

    private String yaml(String header, Object resource) {
        String yaml = serialization.asYaml(resource);
        return header + (yaml.startsWith("---\n") ? yaml : "---\n" + yaml);
    }

    /** Lists the manifests (not the Dockerfile), so Argo CD, Flux and {@code kubectl apply -k} can use the directory. */
    private static String kustomization(String header, TreeMap<String, String> files) {
        StringBuilder text = new StringBuilder(header);
        text.append("apiVersion: kustomize.config.k8s.io/v1beta1\n");
        text.append("kind: Kustomization\n");
        text.append("resources:\n");
        files.keySet().stream()
                .filter(name -> name.endsWith(".yaml"))
                .forEach(name -> text.append("  - ").append(name).append('\n'));
        return text.toString();
    }
}
