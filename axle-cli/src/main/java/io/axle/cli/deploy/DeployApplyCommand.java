package io.axle.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.cli.client.ServerOptions;
import io.axle.cli.client.TrackingClient;
import io.axle.server.deploy.render.ApplyResult;
import io.axle.server.deploy.render.KubernetesApplier;
import io.axle.server.deploy.render.RenderedFiles;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code axle deploy apply NAME}: applies the render straight to the current kube context, for teams without GitOps. */
@Command(
        name = "apply",
        description = "Applies the deployment's render to the current Kubernetes context (~/.kube/config or"
                + " KUBECONFIG), without GitOps.")
final class DeployApplyCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Parameters(index = "0", description = "The deployment.")
    String name;

    // --version is the model version here, so the command has --help alone rather than the standard pair
    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--version", description = "The model version (default: the one the deployment follows).")
    Long version;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        RenderedFiles files;
        try (TrackingClient client = server.client()) {
            JsonNode render = DeployRenderCommand.fetch(client, name, version);
            TreeMap<String, byte[]> contents = new TreeMap<>();
            render.path("files")
                    .properties()
                    .forEach(file ->
                            contents.put(file.getKey(), file.getValue().asText().getBytes(StandardCharsets.UTF_8)));
            files = new RenderedFiles(render.path("directory").asText(), contents);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (KubernetesClient kubernetes = new KubernetesClientBuilder().build()) {
            ApplyResult result = new KubernetesApplier(kubernetes).apply(files);
            result.applied().forEach(object -> out.println("applied " + object));
            result.deleted().forEach(object -> out.println("deleted " + object));
        }
        return 0;
    }
}
