package io.axle.server.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.common.AxleException;
import io.axle.gpu.placement.ByteSize;
import io.axle.server.deploy.render.ComputeResources;
import io.axle.server.deploy.render.DeploymentSpec;
import io.axle.server.deploy.render.DeploymentSpec.Autoscaling;
import io.axle.server.deploy.render.DeploymentSpec.Follows;
import io.axle.server.deploy.render.DeploymentSpec.Ingress;
import io.axle.server.deploy.render.GitOpsTarget;
import io.axle.server.deploy.render.GitOpsTarget.Credentials;
import io.axle.server.deploy.render.GpuMode;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A deployment's declaration as JSON, the one form the API, the CLI's {@code --file} and the database use. Fields
 * are snake_case; an absent {@code ingress} or {@code autoscaling} is none, an absent {@code gpu} is CPU only.
 */
final class SpecJson {
    static final String DEFAULT_CPU_REQUEST = "500m";
    static final String DEFAULT_CPU_LIMIT = "2";
    static final String DEFAULT_MEMORY_REQUEST = "1Gi";
    static final String DEFAULT_MEMORY_LIMIT = "2Gi";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SpecJson() {}

    static DeploymentDefinition parse(JsonNode json) {
        if (!json.isObject()) {
            throw AxleException.invalidParameter("A deployment must be a JSON object");
        }
        String name = required(json, "name");
        JsonNode environment = object(json, "environment");
        String environmentName = required(environment, "name", "environment.name");
        JsonNode resources = json.path("resources");
        DeploymentSpec spec = new DeploymentSpec(
                name,
                required(json, "registered_model"),
                follows(object(json, "follows")),
                new DeploymentSpec.Environment(
                        environmentName, text(environment, "namespace").orElse(environmentName)),
                json.has("replicas") ? integer(json, "replicas") : 1,
                new ComputeResources(
                        text(resources, "cpu_request").orElse(DEFAULT_CPU_REQUEST),
                        text(resources, "cpu_limit").orElse(DEFAULT_CPU_LIMIT),
                        text(resources, "memory_request").orElse(DEFAULT_MEMORY_REQUEST),
                        text(resources, "memory_limit").orElse(DEFAULT_MEMORY_LIMIT)),
                gpu(json.path("gpu")),
                ingress(json.path("ingress")),
                autoscaling(json.path("autoscaling")),
                environmentVariables(json.path("env")),
                required(json, "image_repository"),
                gitOps(object(json, "gitops")));
        return new DeploymentDefinition(
                spec,
                text(json, "gpu_pool"),
                text(json, "gpu_memory").map(memory -> ByteSize.parse(memory).bytes()));
    }

    static ObjectNode write(DeploymentDefinition definition) {
        DeploymentSpec spec = definition.spec();
        ObjectNode json = NODES.objectNode();
        json.put("name", spec.name());
        json.put("registered_model", spec.registeredModel());
        ObjectNode follows = json.putObject("follows");
        switch (spec.follows()) {
            case Follows.Alias alias -> follows.put("alias", alias.alias());
            case Follows.Stage stage -> follows.put("stage", stage.stage());
        }
        json.putObject("environment")
                .put("name", spec.environment().name())
                .put("namespace", spec.environment().namespace());
        json.put("replicas", spec.replicas());
        json.putObject("resources")
                .put("cpu_request", spec.resources().cpuRequest())
                .put("cpu_limit", spec.resources().cpuLimit())
                .put("memory_request", spec.resources().memoryRequest())
                .put("memory_limit", spec.resources().memoryLimit());
        ObjectNode gpu = json.putObject("gpu");
        switch (spec.gpu()) {
            case GpuMode.None none -> gpu.put("mode", "none");
            case GpuMode.Exclusive exclusive -> gpu.put("mode", "exclusive").put("count", exclusive.count());
            case GpuMode.Shared shared ->
                gpu.put("mode", "shared")
                        .put("pool", shared.pool())
                        .put("memory", shared.memory())
                        .put("node", shared.node())
                        .put("gpu_uuid", shared.gpuUuid());
            case GpuMode.Hami hami ->
                gpu.put("mode", "hami").put("count", hami.count()).put("memory", hami.memory());
        }
        switch (spec.ingress()) {
            case Ingress.None none -> {}
            case Ingress.Route route ->
                json.putObject("ingress").put("host", route.host()).put("path", route.path());
        }
        switch (spec.autoscaling()) {
            case Autoscaling.Off off -> {}
            case Autoscaling.Cpu cpu ->
                json.putObject("autoscaling")
                        .put("min_replicas", cpu.minReplicas())
                        .put("max_replicas", cpu.maxReplicas())
                        .put("cpu_utilization_percent", cpu.cpuUtilizationPercent());
        }
        ObjectNode env = json.putObject("env");
        spec.environmentVariables().forEach(env::put);
        json.put("image_repository", spec.imageRepository());
        GitOpsTarget target = spec.gitOps();
        ObjectNode gitOps = json.putObject("gitops")
                .put("repository_url", target.repositoryUrl())
                .put("branch", target.branch())
                .put("path", target.path());
        switch (target.credentials()) {
            case Credentials.None none -> {}
            case Credentials.FromEnvironment environment ->
                gitOps.putObject("credentials")
                        .put("username_variable", environment.usernameVariable())
                        .put("password_variable", environment.passwordVariable());
            case Credentials.SecretReference secret ->
                gitOps.putObject("credentials").put("secret_name", secret.secretName());
        }
        definition.gpuPool().ifPresent(pool -> json.put("gpu_pool", pool));
        definition.gpuMemoryBytes().ifPresent(bytes -> json.put("gpu_memory", Long.toString(bytes)));
        return json;
    }

    /** {@code patch}'s top-level fields replace the stored ones; a JSON null removes one. */
    static JsonNode merge(JsonNode stored, JsonNode patch) {
        if (!patch.isObject()) {
            throw AxleException.invalidParameter("A deployment update must be a JSON object");
        }
        ObjectNode merged = stored.deepCopy();
        patch.properties().forEach(field -> {
            if (field.getValue().isNull()) {
                merged.remove(field.getKey());
            } else {
                merged.set(field.getKey(), field.getValue());
            }
        });
        return merged;
    }

    static Follows follows(JsonNode follows) {
        Optional<String> alias = text(follows, "alias");
        Optional<String> stage = text(follows, "stage");
        if (alias.isPresent() == stage.isPresent()) {
            throw AxleException.invalidParameter(
                    "'follows' needs exactly one of 'alias' (e.g. champion) or 'stage' (Staging or Production)");
        }
        return alias.<Follows>map(Follows.Alias::new).orElseGet(() -> new Follows.Stage(stage.orElseThrow()));
    }

    private static GpuMode gpu(JsonNode gpu) {
        String mode = text(gpu, "mode").orElse("none").toLowerCase(Locale.ROOT);
        return switch (mode) {
            case "none" -> new GpuMode.None();
            case "exclusive" -> new GpuMode.Exclusive(gpu.has("count") ? integer(gpu, "count") : 1);
            case "shared" ->
                new GpuMode.Shared(
                        required(gpu, "pool", "gpu.pool"),
                        required(gpu, "memory", "gpu.memory"),
                        required(gpu, "node", "gpu.node"),
                        required(gpu, "gpu_uuid", "gpu.gpu_uuid"));
            case "hami" ->
                new GpuMode.Hami(gpu.has("count") ? integer(gpu, "count") : 1, required(gpu, "memory", "gpu.memory"));
            default ->
                throw AxleException.invalidParameter(
                        "Unknown GPU mode '" + mode + "': use none, exclusive, shared or hami");
        };
    }

    private static Ingress ingress(JsonNode ingress) {
        if (ingress.isMissingNode() || ingress.isNull()) {
            return new Ingress.None();
        }
        return new Ingress.Route(
                required(ingress, "host", "ingress.host"), text(ingress, "path").orElse("/"));
    }

    private static Autoscaling autoscaling(JsonNode autoscaling) {
        if (autoscaling.isMissingNode() || autoscaling.isNull()) {
            return new Autoscaling.Off();
        }
        return new Autoscaling.Cpu(
                integer(autoscaling, "min_replicas"),
                integer(autoscaling, "max_replicas"),
                autoscaling.has("cpu_utilization_percent") ? integer(autoscaling, "cpu_utilization_percent") : 70);
    }

    private static Map<String, String> environmentVariables(JsonNode env) {
        Map<String, String> variables = new TreeMap<>();
        if (env.isMissingNode() || env.isNull()) {
            return variables;
        }
        if (!env.isObject()) {
            throw AxleException.invalidParameter("'env' must be an object of variable names to values");
        }
        env.properties().forEach(field -> {
            if (!field.getValue().isValueNode() || field.getValue().isNull()) {
                throw AxleException.invalidParameter("Environment variable " + field.getKey() + " needs a value");
            }
            variables.put(field.getKey(), field.getValue().asText());
        });
        return variables;
    }

    private static GitOpsTarget gitOps(JsonNode gitOps) {
        JsonNode credentials = gitOps.path("credentials");
        Credentials parsed;
        if (credentials.isMissingNode() || credentials.isNull()) {
            parsed = new Credentials.None();
        } else if (credentials.has("secret_name")) {
            parsed = new Credentials.SecretReference(required(credentials, "secret_name"));
        } else if (credentials.has("username_variable") || credentials.has("password_variable")) {
            parsed = new Credentials.FromEnvironment(
                    required(credentials, "username_variable", "gitops.credentials.username_variable"),
                    required(credentials, "password_variable", "gitops.credentials.password_variable"));
        } else {
            // a password or token in the request is refused, never stored: only where to find one
            throw AxleException.invalidParameter("GitOps credentials are never stored: give 'username_variable' and"
                    + " 'password_variable' (environment variables of the server) or 'secret_name' (a Kubernetes"
                    + " Secret), not the credentials themselves");
        }
        return new GitOpsTarget(
                required(gitOps, "repository_url", "gitops.repository_url"),
                text(gitOps, "branch").orElse("main"),
                text(gitOps, "path").orElse(""),
                parsed);
    }

    private static JsonNode object(JsonNode json, String field) {
        JsonNode value = json.path(field);
        if (!value.isObject()) {
            throw AxleException.invalidParameter("Missing value for required parameter '" + field + "'.");
        }
        return value;
    }

    private static String required(JsonNode json, String field) {
        return required(json, field, field);
    }

    private static String required(JsonNode json, String field, String shown) {
        return text(json, field)
                .orElseThrow(
                        () -> AxleException.invalidParameter("Missing value for required parameter '" + shown + "'."));
    }

    private static Optional<String> text(JsonNode json, String field) {
        JsonNode value = json.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isValueNode()) {
            throw AxleException.invalidParameter("'" + field + "' must be a string");
        }
        return Optional.of(value.asText());
    }

    private static int integer(JsonNode json, String field) {
        JsonNode value = json.path(field);
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return value.intValue();
        }
        if (value.isTextual()) {
            try {
                return Integer.parseInt(value.asText().strip());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw AxleException.invalidParameter("'" + field + "' must be a whole number, not " + value);
    }
}
