package io.axle.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.cli.client.ServerOptions;
import io.axle.cli.client.TrackingClient;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code axle deploy rollback NAME [--to VERSION]}: moves the alias (or stage) back; the normal flow commits it. */
@Command(
        name = "rollback",
        mixinStandardHelpOptions = true,
        description = "Moves what the deployment follows back to --to VERSION or to the previous revision's version;"
                + " the deployer then releases it like any promotion.")
final class DeployRollbackCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Parameters(index = "0", description = "The deployment.")
    String name;

    @Option(names = "--to", paramLabel = "VERSION", description = "The version to go back to.")
    Long to;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Map<String, Object> request = new HashMap<>();
        if (to != null) {
            request.put("to_version", to);
        }
        try (TrackingClient client = server.client()) {
            JsonNode answer = client.post(DeployCommand.path(name) + "/rollback", request);
            JsonNode deployment = answer.path("deployment");
            spec.commandLine()
                    .getOut()
                    .println("Moved " + DeployListCommand.follows(deployment.path("spec")) + " to version "
                            + answer.path("to_version").asText() + "; axle deploy history " + name
                            + " shows the commit once it is made");
            return 0;
        }
    }
}
