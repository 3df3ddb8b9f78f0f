package io.axle.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.cli.client.ServerOptions;
import io.axle.cli.client.TrackingClient;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code axle deploy list}. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the deployments and their status.")
final class DeployListCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (TrackingClient client = server.client()) {
            JsonNode deployments = client.get(DeployCommand.API, Map.of()).path("deployments");
            if (deployments.isEmpty()) {
                out.println("No deployments.");
                return 0;
            }
            out.printf("%-24s  %-32s  %-8s  %-7s  %s%n", "NAME", "FOLLOWS", "STATUS", "VERSION", "COMMIT");
            for (JsonNode deployment : deployments) {
                out.printf(
                        "%-24s  %-32s  %-8s  %-7s  %s%n",
                        deployment.path("name").asText(),
                        follows(deployment.path("spec")),
                        deployment.path("status").asText(),
                        deployment.path("current_version").asText("-"),
                        shortSha(deployment.path("last_commit").asText("-")));
            }
            return 0;
        }
    }

    static String follows(JsonNode spec) {
        JsonNode follows = spec.path("follows");
        String model = spec.path("registered_model").asText();
        return follows.has("alias")
                ? model + "@" + follows.path("alias").asText()
                : model + "/" + follows.path("stage").asText();
    }

    static String shortSha(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }
}
