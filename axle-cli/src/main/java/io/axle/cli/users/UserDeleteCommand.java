package io.axle.cli.users;

import io.axle.cli.client.ServerOptions;
import io.axle.cli.client.TrackingClient;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code axle users delete USERNAME}. */
@Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = "Deletes a user with their tokens and permissions (admin only).")
final class UserDeleteCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Parameters(index = "0", paramLabel = "USERNAME", description = "The user to delete.")
    String username;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try (TrackingClient client = server.client()) {
            client.delete(UsersCommand.MLFLOW_USERS + "delete", Map.of("username", username));
        }
        spec.commandLine().getOut().println("Deleted user " + username);
        return 0;
    }
}
