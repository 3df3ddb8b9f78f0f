package io.axle.server.deploy.render;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One model deployment: which registered model it runs, which version it follows, where and how it runs, and where
 * its rendered files are committed. The constructor validates everything a renderer or Kubernetes would reject later.
 *
 * @param name the deployment's name; also the Kubernetes Deployment, Service and directory name (RFC 1035 label)
 * @param registeredModel the registered model's name; also the value of the {@code axle.io/model} label
 * @param follows the alias or stage whose version this deployment runs
 * @param environment the environment's name (a directory of the GitOps repository) and its namespace
 * @param replicas the replica count when the deployment does not autoscale; the admission budget otherwise
 * @param resources CPU and memory requests and limits of the model server's container
 * @param gpu how the model server gets a GPU
 * @param ingress whether and where the model is reachable from outside the cluster
 * @param autoscaling whether a HorizontalPodAutoscaler scales the deployment
 * @param environmentVariables the container's environment, sorted by name (e.g. {@code MLFLOW_TRACKING_URI})
 * @param imageRepository the model-server image's repository, without a tag: the tag is the model version
 * @param gitOps where the rendered files are committed
 */
public record DeploymentSpec(
        String name,
        String registeredModel,
        Follows follows,
        Environment environment,
        int replicas,
        ComputeResources resources,
        GpuMode gpu,
        Ingress ingress,
        Autoscaling autoscaling,
        Map<String, String> environmentVariables,
        String imageRepository,
        GitOpsTarget gitOps) {

    /** The variables the renderer sets itself; a deployment may not set them. */
    static final Set<String> RESERVED_VARIABLES = Set.of("NVIDIA_VISIBLE_DEVICES", "NVIDIA_DRIVER_CAPABILITIES");

    private static final Pattern IMAGE_REPOSITORY =
            Pattern.compile("[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-]{1,2}[a-z0-9]+)*)*");

    public DeploymentSpec {
        Checks.dns1035Label("Deployment name", requireNonNull(name, "name is null"));
        Checks.labelValue("Registered model name", requireNonNull(registeredModel, "registeredModel is null"));
        requireNonNull(follows, "follows is null");
        requireNonNull(environment, "environment is null");
        if (name.length() + 1 + environment.name().length() > 63) {
            throw AxleException.invalidParameter("Deployment name '" + name + "' and environment name '"
                    + environment.name() + "' together must stay within 62 characters: they name the instance label");
        }
        Checks.positive("Replicas of deployment '" + name + "'", replicas);
        requireNonNull(resources, "resources is null");
        requireNonNull(gpu, "gpu is null");
        requireNonNull(ingress, "ingress is null");
        requireNonNull(autoscaling, "autoscaling is null");
        TreeMap<String, String> variables = new TreeMap<>();
        requireNonNull(environmentVariables, "environmentVariables is null").forEach((variable, value) -> {
            Checks.environmentVariableName(variable);
            if (RESERVED_VARIABLES.contains(variable)) {
                throw AxleException.invalidParameter("Deployment '" + name + "' sets " + variable
                        + ", which Axle sets from the GPU mode: remove it and choose the GPU mode instead");
            }
            variables.put(variable, requireNonNull(value, "value of " + variable + " is null"));
        });
        environmentVariables = Collections.unmodifiableSortedMap(variables);
        requireNonNull(imageRepository, "imageRepository is null");
        // A port belongs to a registry host, so a repository without '/' has none: "fraud:7" is a tag.
        if (!IMAGE_REPOSITORY.matcher(imageRepository).matches()
                || (imageRepository.contains(":") && !imageRepository.contains("/"))) {
            throw AxleException.invalidParameter("Image repository '" + imageRepository + "' of deployment '" + name
                    + "' is not a repository name without tag or digest, e.g. registry.example.com/ml/fraud");
        }
        requireNonNull(gitOps, "gitOps is null");
        if (autoscaling instanceof Autoscaling.Cpu cpu
                && (replicas < cpu.minReplicas() || replicas > cpu.maxReplicas())) {
            throw AxleException.invalidParameter("Deployment '" + name + "' has " + replicas + " replicas, outside its"
                    + " autoscaling range " + cpu.minReplicas() + ".." + cpu.maxReplicas());
        }
    }

    /** What a deployment follows in the registry: an alias or a stage. */
    public sealed interface Follows {
        /** The {@code models:/} URI of what is followed, e.g. {@code models:/fraud@champion}. */
        String modelUri(String registeredModel);

        record Alias(String alias) implements Follows {
            private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9_-]{1,255}");

            public Alias {
                requireNonNull(alias, "alias is null");
                if (!ALIAS.matcher(alias).matches()) {
                    throw AxleException.invalidParameter(
                            "Alias '" + alias + "' is not valid: use letters, digits, '_' and '-'");
                }
            }

            @Override
            public String modelUri(String registeredModel) {
                return "models:/" + registeredModel + "@" + alias;
            }
        }

        record Stage(String stage) implements Follows {
            public Stage {
                requireNonNull(stage, "stage is null");
                if (!stage.equals("Staging") && !stage.equals("Production")) {
                    throw AxleException.invalidParameter(
                            "A deployment can follow stage Staging or Production, not '" + stage + "'");
                }
            }

            @Override
            public String modelUri(String registeredModel) {
                return "models:/" + registeredModel + "/" + stage;
            }
        }
    }

    /**
     * An environment: a directory of the GitOps repository and a namespace of a cluster.
     *
     * @param name e.g. {@code staging} or {@code production}
     */
    public record Environment(String name, String namespace) {
        public Environment {
            Checks.dns1123Label("Environment name", requireNonNull(name, "name is null"));
            Checks.dns1123Label("Namespace", requireNonNull(namespace, "namespace is null"));
        }
    }

    /** Whether and where the model is reachable from outside the cluster (networking.k8s.io/v1 Ingress). */
    public sealed interface Ingress {
        record None() implements Ingress {}

        /**
         * @param host the host name, e.g. {@code fraud.models.example.com}
         * @param path a path prefix starting with {@code /}, e.g. {@code /} or {@code /fraud}
         */
        record Route(String host, String path) implements Ingress {
            public Route {
                Checks.dns1123Subdomain("Ingress host", requireNonNull(host, "host is null"));
                requireNonNull(path, "path is null");
                if (!path.startsWith("/") || path.contains("//") || path.chars().anyMatch(Character::isWhitespace)) {
                    throw AxleException.invalidParameter(
                            "Ingress path '" + path + "' must start with '/' and contain no spaces or '//'");
                }
            }
        }
    }

    /** Whether an autoscaling/v2 HorizontalPodAutoscaler scales the deployment. */
    public sealed interface Autoscaling {
        record Off() implements Autoscaling {}

        /**
         * @param cpuUtilizationPercent the average CPU utilisation, relative to the CPU request, the HPA aims at
         */
        record Cpu(int minReplicas, int maxReplicas, int cpuUtilizationPercent) implements Autoscaling {
            public Cpu {
                Checks.positive("Autoscaling minimum replicas", minReplicas);
                if (maxReplicas < minReplicas) {
                    throw AxleException.invalidParameter("Autoscaling maximum replicas (" + maxReplicas
                            + ") is below the minimum (" + minReplicas + ")");
                }
                if (cpuUtilizationPercent < 1 || cpuUtilizationPercent > 100) {
                    throw AxleException.invalidParameter(
                            "Autoscaling CPU target must be 1..100 percent, not " + cpuUtilizationPercent);
                }
            }
        }
    }
}
