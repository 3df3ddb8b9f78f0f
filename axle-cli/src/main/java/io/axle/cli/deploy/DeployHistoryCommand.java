package io.axle.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.cli.client.ServerOptions;
import io.axle.cli.client.TrackingClient;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code axle deploy history NAME}: the commits made for a deployment, newest first. */
@Command(name = "history", mixinStandardHelpOptions = true, description = "Lists a deployment's revisions.")
final class DeployHistoryCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Parameters(index = "0", description = "The deployment.")
    String name;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (TrackingClient client = server.client()) {
            JsonNode revisions =
                    client.get(DeployCommand.path(name) + "/history", Map.of()).path("revisions");
            if (revisions.isEmpty()) {
                out.println("No revisions: nothing has been committed for " + name + " yet.");
                return 0;
            }
            out.printf("%-8s  %-7s  %-40s  %-24s  %s%n", "REVISION", "VERSION", "COMMIT", "TIME", "ACTOR");
            for (JsonNode revision : revisions) {
                out.printf(
                        "%-8s  %-7s  %-40s  %-24s  %s%n",
                        revision.path("revision").asText(),
                        revision.path("version").asText(),
                        revision.path("commit_sha").asText(),
                        Instant.ofEpochMilli(revision.path("timestamp").asLong()),
                        revision.path("actor").asText());
            }
            return 0;
        }
    }
}
