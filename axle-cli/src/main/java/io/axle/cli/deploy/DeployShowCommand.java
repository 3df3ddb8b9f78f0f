package io.axle.cli.deploy;

import io.axle.cli.client.ServerOptions;
import io.axle.cli.client.TrackingClient;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code axle deploy show NAME}: the deployment as JSON, its spec, status and current version. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Shows a deployment as JSON.")
final class DeployShowCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Parameters(index = "0", description = "The deployment.")
    String name;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (TrackingClient client = server.client()) {
            Object deployment = client.get(DeployCommand.path(name), Map.of()).path("deployment");
            spec.commandLine()
                    .getOut()
                    .println(SpecOptions.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(deployment));
            return 0;
        }
    }
}
