package io.axle.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.common.AxleException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine.Option;

/**
 * The fields of a deployment as options, or a whole spec from {@code --file}; an option given overrides the file.
 * Only the fields given end up in the request, so {@code update} changes just those.
 */
final class SpecOptions {
    static final ObjectMapper MAPPER = new ObjectMapper();

    @Option(
            names = "--file",
            paramLabel = "SPEC",
            description = "The deployment as JSON or YAML (spec.json, spec.yaml).")
    Path file;

    @Option(names = "--model", paramLabel = "NAME", description = "The registered model.")
    String model;

    @Option(names = "--alias", description = "Follow this alias, e.g. champion.")
    String alias;

    @Option(names = "--stage", description = "Follow this stage: Staging or Production.")
    String stage;

    @Option(names = "--environment", paramLabel = "NAME", description = "The environment (a GitOps directory).")
    String environment;

    @Option(names = "--namespace", description = "The Kubernetes namespace (default: the environment's name).")
    String namespace;

    @Option(names = "--replicas", description = "Replicas (the admission budget when autoscaling).")
    Integer replicas;

    @Option(names = "--cpu-request", paramLabel = "QUANTITY")
    String cpuRequest;

    @Option(names = "--cpu-limit", paramLabel = "QUANTITY")
    String cpuLimit;

    @Option(names = "--memory-request", paramLabel = "QUANTITY")
    String memoryRequest;

    @Option(names = "--memory-limit", paramLabel = "QUANTITY")
    String memoryLimit;

    @Option(names = "--gpu", paramLabel = "MODE", description = "none, exclusive, shared or hami.")
    String gpuMode;

    @Option(names = "--gpu-count", description = "GPUs per replica (exclusive, hami).")
    Integer gpuCount;

    @Option(
            names = "--gpu-budget",
            paramLabel = "QUANTITY",
            description = "GPU memory budget (shared, hami), e.g. 6Gi.")
    String gpuBudget;

    @Option(names = "--gpu-node", description = "The node of the shared GPU.")
    String gpuNode;

    @Option(names = "--gpu-uuid", description = "The shared GPU's UUID.")
    String gpuUuid;

    @Option(names = "--gpu-pool", paramLabel = "POOL", description = "The GPU pool admission checks against.")
    String gpuPool;

    @Option(
            names = "--gpu-memory",
            paramLabel = "SIZE",
            description = "GPU memory per replica when a version has no axle.gpu_memory_bytes tag, e.g. 10GiB.")
    String gpuMemory;

    @Option(names = "--ingress-host", paramLabel = "HOST")
    String ingressHost;

    @Option(names = "--ingress-path", paramLabel = "PATH")
    String ingressPath;

    @Option(
            names = "--autoscale",
            paramLabel = "MIN:MAX[:CPU%]",
            description = "Autoscale between MIN and MAX replicas at CPU%% of the CPU request (default 70).")
    String autoscale;

    @Option(names = "--env", paramLabel = "NAME=VALUE", description = "A container environment variable (repeatable).")
    Map<String, String> env;

    @Option(names = "--image-repository", paramLabel = "REPOSITORY", description = "e.g. registry.example.com/ml/fraud")
    String imageRepository;

    @Option(names = "--git-url", paramLabel = "URL", description = "The GitOps repository (no password in it).")
    String gitUrl;

    @Option(names = "--git-branch", paramLabel = "BRANCH")
    String gitBranch;

    @Option(names = "--git-path", paramLabel = "PATH", description = "The directory of the environments in it.")
    String gitPath;

    @Option(
            names = "--git-username-env",
            paramLabel = "VARIABLE",
            description = "The server's environment variable holding the Git user name.")
    String gitUsernameVariable;

    @Option(
            names = "--git-password-env",
            paramLabel = "VARIABLE",
            description = "The server's environment variable holding the Git password or token.")
    String gitPasswordVariable;

    @Option(
            names = "--git-secret",
            paramLabel = "SECRET",
            description = "A Kubernetes Secret with the Git credentials.")
    String gitSecret;

    /** The spec from {@code --file} (if any) with the options given laid over it. */
    ObjectNode request(String name) {
        ObjectNode spec = file == null ? MAPPER.createObjectNode() : read(file);
        if (name != null) {
            spec.put("name", name);
        }
        put(spec, "registered_model", model);
        if (alias != null || stage != null) {
            ObjectNode follows = spec.putObject("follows");
            put(follows, "alias", alias);
            put(follows, "stage", stage);
        }
        if (environment != null || namespace != null) {
            ObjectNode target = object(spec, "environment");
            put(target, "name", environment);
            put(target, "namespace", namespace);
        }
        if (replicas != null) {
            spec.put("replicas", replicas);
        }
        if (cpuRequest != null || cpuLimit != null || memoryRequest != null || memoryLimit != null) {
            ObjectNode resources = object(spec, "resources");
            put(resources, "cpu_request", cpuRequest);
            put(resources, "cpu_limit", cpuLimit);
            put(resources, "memory_request", memoryRequest);
            put(resources, "memory_limit", memoryLimit);
        }
        if (gpuMode != null) {
            ObjectNode gpu = spec.putObject("gpu").put("mode", gpuMode.toLowerCase(Locale.ROOT));
            if (gpuCount != null) {
                gpu.put("count", gpuCount);
            }
            put(gpu, "memory", gpuBudget);
            put(gpu, "node", gpuNode);
            put(gpu, "gpu_uuid", gpuUuid);
            if (gpuMode.equalsIgnoreCase("shared")) {
                put(gpu, "pool", gpuPool);
            }
        }
        put(spec, "gpu_pool", gpuPool);
        put(spec, "gpu_memory", gpuMemory);
        if (ingressHost != null || ingressPath != null) {
            ObjectNode ingress = object(spec, "ingress");
            put(ingress, "host", ingressHost);
            put(ingress, "path", ingressPath);
        }
        if (autoscale != null) {
            spec.set("autoscaling", autoscaling(autoscale));
        }
        if (env != null) {
            ObjectNode variables = object(spec, "env");
            env.forEach(variables::put);
        }
        put(spec, "image_repository", imageRepository);
        if (gitUrl != null || gitBranch != null || gitPath != null) {
            ObjectNode gitOps = object(spec, "gitops");
            put(gitOps, "repository_url", gitUrl);
            put(gitOps, "branch", gitBranch);
            put(gitOps, "path", gitPath);
        }
        if (gitUsernameVariable != null || gitPasswordVariable != null || gitSecret != null) {
            ObjectNode credentials = object(spec, "gitops").putObject("credentials");
            put(credentials, "username_variable", gitUsernameVariable);
            put(credentials, "password_variable", gitPasswordVariable);
            put(credentials, "secret_name", gitSecret);
        }
        return spec;
    }

    private static ObjectNode autoscaling(String text) {
        String[] parts = text.split(":");
        try {
            ObjectNode autoscaling = MAPPER.createObjectNode()
                    .put("min_replicas", Integer.parseInt(parts[0].strip()))
                    .put("max_replicas", Integer.parseInt(parts[1].strip()));
            if (parts.length > 2) {
                autoscaling.put(
                        "cpu_utilization_percent",
                        Integer.parseInt(parts[2].strip().replace("%", "")));
            }
            return autoscaling;
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw AxleException.invalidParameter("--autoscale takes MIN:MAX or MIN:MAX:CPU%, e.g. 2:6:70, not " + text);
        }
    }

    private static ObjectNode read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(text); // YAML is a superset of JSON
        JsonNode spec = MAPPER.valueToTree(loaded);
        if (!(spec instanceof ObjectNode object)) {
            throw AxleException.invalidParameter(file + " does not hold a deployment (a JSON or YAML object)");
        }
        return object;
    }

    private static ObjectNode object(ObjectNode parent, String field) {
        return parent.get(field) instanceof ObjectNode existing ? existing : parent.putObject(field);
    }

    private static void put(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
