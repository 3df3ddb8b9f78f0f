package io.axle.cli.users;

import io.axle.cli.client.ServerOptions;
import io.axle.cli.client.TrackingClient;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code axle users set-password USERNAME}. */
@Command(
        name = "set-password",
        mixinStandardHelpOptions = true,
        description = "Sets a user's password (an admin for anyone, a user for themselves).")
final class UserSetPasswordCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Mixin
    PasswordInput password;

    @Parameters(index = "0", paramLabel = "USERNAME", description = "Whose password to set.")
    String username;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        String secret = password.read(username);
        try (TrackingClient client = server.client()) {
            client.patch(
                    UsersCommand.MLFLOW_USERS + "update-password", Map.of("username", username, "password", secret));
        }
        spec.commandLine().getOut().println("Set the password of " + username);
        return 0;
    }
}
