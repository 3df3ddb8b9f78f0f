package io.axle.cli.users;

import io.axle.cli.client.ServerOptions;
import io.axle.cli.client.TrackingClient;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code axle users create USERNAME [--admin]}. */
@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = "Creates a user; the password is prompted for, or read with --password-stdin.")
final class UserCreateCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Mixin
    PasswordInput password;

    @Parameters(index = "0", paramLabel = "USERNAME", description = "The new user's name.")
    String username;

    @Option(names = "--admin", description = "Make the user an admin.")
    boolean admin;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        String secret = password.read(username);
        try (TrackingClient client = server.client()) {
            client.post(UsersCommand.MLFLOW_USERS + "create", Map.of("username", username, "password", secret));
            if (admin) {
                client.patch(
                        UsersCommand.MLFLOW_USERS + "update-admin", Map.of("username", username, "is_admin", true));
            }
        }
        spec.commandLine().getOut().println("Created " + (admin ? "admin " : "user ") + username);
        return 0;
    }
}
