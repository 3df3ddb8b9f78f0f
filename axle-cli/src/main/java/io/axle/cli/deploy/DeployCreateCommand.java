package io.axle.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.cli.client.ServerOptions;
import io.axle.cli.client.TrackingClient;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code axle deploy create NAME --model M --alias A ... | --file spec.yaml}. */
@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = "Creates a deployment from options or a spec file; it releases what it follows right away.")
final class DeployCreateCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Mixin
    SpecOptions options;

    @Parameters(index = "0", arity = "0..1", description = "The deployment's name (or the file's 'name').")
    String name;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try (TrackingClient client = server.client()) {
            JsonNode deployment =
                    client.post(DeployCommand.API, options.request(name)).path("deployment");
            spec.commandLine()
                    .getOut()
                    .println("Created deployment " + deployment.path("name").asText() + ": "
                            + deployment.path("status_message").asText());
            return 0;
        }
    }
}
