package io.axle.cli.users;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code axle users}: the users of an Axle server with authentication on; an admin's commands. */
@Command(
        name = "users",
        mixinStandardHelpOptions = true,
        description = {
            "Users of an Axle server (admin only, except set-password for oneself).",
            "Authenticate with MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, or MLFLOW_TRACKING_TOKEN."
        },
        subcommands = {
            UserCreateCommand.class,
            UserListCommand.class,
            UserDeleteCommand.class,
            UserSetPasswordCommand.class
        })
public final class UsersCommand implements Runnable {
    static final String MLFLOW_USERS = "/api/2.0/mlflow/users/";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
