package io.axle.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.cli.client.ServerOptions;
import io.axle.cli.client.TrackingClient;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code axle deploy retry NAME}: releases what the deployment follows again, after a failure was put right. */
@Command(
        name = "retry",
        mixinStandardHelpOptions = true,
        description = "Releases the version the deployment follows again (after a FAILED or BLOCKED release).")
final class DeployRetryCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Parameters(index = "0", description = "The deployment.")
    String name;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try (TrackingClient client = server.client()) {
            JsonNode deployment =
                    client.post(DeployCommand.path(name) + "/retry", Map.of()).path("deployment");
            spec.commandLine()
                    .getOut()
                    .println(name + ": " + deployment.path("status").asText() + ": "
                            + deployment.path("status_message").asText());
            return deployment.path("status").asText().equals("READY") ? 0 : 1;
        }
    }
}
