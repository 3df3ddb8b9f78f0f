package io.axle.cli.deploy;

import io.axle.cli.client.ServerOptions;
import io.axle.cli.client.TrackingClient;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code axle deploy delete NAME}. */
@Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = "Deletes a deployment; what it committed stays in the GitOps repository.")
final class DeployDeleteCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Parameters(index = "0", description = "The deployment.")
    String name;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try (TrackingClient client = server.client()) {
            client.delete(DeployCommand.path(name), Map.of());
            spec.commandLine().getOut().println("Deleted deployment " + name);
            return 0;
        }
    }
}
