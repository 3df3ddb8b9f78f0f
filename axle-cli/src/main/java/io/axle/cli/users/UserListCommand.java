package io.axle.cli.users;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.cli.client.ServerOptions;
import io.axle.cli.client.TrackingClient;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code axle users list}. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the users (admin only).")
final class UserListCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (TrackingClient client = server.client()) {
            JsonNode users = client.get("/api/2.0/axle/users/list", Map.of()).path("users");
            if (users.isEmpty()) {
                out.println("No users.");
                return 0;
            }
            out.printf("%-6s  %-32s  %-5s  %s%n", "ID", "USERNAME", "ADMIN", "PERMISSIONS");
            for (JsonNode user : users) {
                out.printf(
                        "%-6s  %-32s  %-5s  %d experiment(s), %d model(s)%n",
                        user.path("id").asText(),
                        user.path("username").asText(),
                        user.path("is_admin").asBoolean() ? "yes" : "no",
                        user.path("experiment_permissions").size(),
                        user.path("registered_model_permissions").size());
            }
            return 0;
        }
    }
}
