package io.axle.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.axle.cli.client.ServerOptions;
import io.axle.cli.client.TrackingClient;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code axle deploy update NAME --replicas 3 ...}: changes only the fields given. */
@Command(
        name = "update",
        mixinStandardHelpOptions = true,
        description = "Changes the fields given (options or a spec file); the deployment is released again.")
final class DeployUpdateCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Mixin
    SpecOptions options;

    @Parameters(index = "0", description = "The deployment.")
    String name;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ObjectNode patch = options.request(null);
        try (TrackingClient client = server.client()) {
            JsonNode deployment = client.patch(DeployCommand.path(name), patch).path("deployment");
            spec.commandLine()
                    .getOut()
                    .println("Updated deployment " + name + " ("
                            + deployment.path("status").asText() + ")");
            return 0;
        }
    }
}
