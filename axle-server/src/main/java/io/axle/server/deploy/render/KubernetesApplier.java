package io.axle.server.deploy.render;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a render with fabric8's client: create, or replace what is there (no resourceVersion lock: the render is
 * the desired state), then prune by the deployment's labels. It replaces rather than server-side applies, which
 * fabric8's mock API server does not implement.
 */
public final class KubernetesApplier implements ClusterApplier {
    static final ResourceDefinitionContext INFERENCE_SERVICES = new ResourceDefinitionContext.Builder()
            .withGroup("serving.kserve.io")
            .withVersion("v1beta1")
            .withKind("InferenceService")
            .withPlural("inferenceservices")
            .withNamespaced(true)
            .build();

    private static final List<Class<? extends HasMetadata>> PRUNED_KINDS = List.of(
            Deployment.class, Service.class, Ingress.class, HorizontalPodAutoscaler.class, PodDisruptionBudget.class);

    private final KubernetesClient client;

    public KubernetesApplier(KubernetesClient client) {
        this.client = requireNonNull(client, "client is null");
    }

    @Override
    public ApplyResult apply(RenderedFiles files) {
        List<HasMetadata> resources = new ArrayList<>();
        files.byFileName().forEach((name, content) -> {
            if (name.endsWith(".yaml") && !name.equals(Renderer.KUSTOMIZATION)) {
                resources.add(client.getKubernetesSerialization()
                        .unmarshal(new String(content, StandardCharsets.UTF_8), HasMetadata.class));
            }
        });
        if (resources.isEmpty()) {
            throw AxleException.invalidParameter("The render of " + files.directory() + " holds no manifests to apply");
        }
        List<String> applied = new ArrayList<>();
        Set<String> keep = new HashSet<>();
        for (HasMetadata resource : resources) {
            String description = describe(resource);
            try {
                if (resource instanceof GenericKubernetesResource generic
                        && generic.getKind().equals(INFERENCE_SERVICES.getKind())) {
                    client.genericKubernetesResources(INFERENCE_SERVICES)
                            .inNamespace(generic.getMetadata().getNamespace())
                            .resource(generic)
                            .unlock()
                            .createOr(NonDeletingOperation::update);
                } else {
                    client.resource(resource).unlock().createOr(NonDeletingOperation::update);
                }
            } catch (KubernetesClientException e) {
                throw failure("apply " + description, e);
            }
            applied.add(description);
            keep.add(description);
        }
        HasMetadata first = resources.getFirst();
        return new ApplyResult(applied, prune(first.getMetadata().getNamespace(), selector(first), keep));
    }

    private List<String> prune(String namespace, Map<String, String> selector, Set<String> keep) {
        List<HasMetadata> candidates = new ArrayList<>();
        try {
            for (Class<? extends HasMetadata> kind : PRUNED_KINDS) {
                candidates.addAll(client.resources(kind)
                        .inNamespace(namespace)
                        .withLabels(selector)
                        .list()
                        .getItems());
            }
            candidates.addAll(inferenceServices(namespace, selector));
        } catch (KubernetesClientException e) {
            throw failure("list the objects of " + selector + " in namespace " + namespace, e);
        }
        List<String> deleted = new ArrayList<>();
        for (HasMetadata candidate : candidates) {
            String description = describe(candidate);
            if (keep.contains(description)) {
                continue;
            }
            try {
                if (candidate instanceof GenericKubernetesResource
                        && candidate.getKind().equals(INFERENCE_SERVICES.getKind())) {
                    client.genericKubernetesResources(INFERENCE_SERVICES)
                            .inNamespace(namespace)
                            .withName(candidate.getMetadata().getName())
                            .delete();
                } else {
                    client.resource(candidate).delete();
                }
            } catch (KubernetesClientException e) {
                throw failure("delete " + description, e);
            }
            deleted.add(description);
        }
        return deleted;
    }

    /** None where KServe is not installed: its API answers 404. */
    private List<GenericKubernetesResource> inferenceServices(String namespace, Map<String, String> selector) {
        try {
            return client.genericKubernetesResources(INFERENCE_SERVICES)
                    .inNamespace(namespace)
                    .withLabels(selector)
                    .list()
                    .getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return List.of();
            }
            throw e;
        }
    }

    /** The labels every object of one deployment in one environment carries, and no other deployment's do. */
    private static Map<String, String> selector(HasMetadata resource) {
        Map<String, String> labels = resource.getMetadata().getLabels();
        return Map.of(
                "app.kubernetes.io/instance", labels.get("app.kubernetes.io/instance"),
                "app.kubernetes.io/managed-by", labels.get("app.kubernetes.io/managed-by"));
    }

    private static String describe(HasMetadata resource) {
        return resource.getKind() + " " + resource.getMetadata().getNamespace() + "/"
                + resource.getMetadata().getName();
    }

    private static AxleException failure(String what, KubernetesClientException e) {
        ErrorCode code = e.getCode() == 403 ? ErrorCode.PERMISSION_DENIED : ErrorCode.INTERNAL_ERROR;
        return new AxleException(code, "Could not " + what + ": " + e.getMessage(), e);
    }
}
