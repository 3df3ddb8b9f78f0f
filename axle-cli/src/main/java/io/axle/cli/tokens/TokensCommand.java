package io.axle.cli.tokens;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code axle tokens}: API tokens for MLFLOW_TRACKING_TOKEN. */
@Command(
        name = "tokens",
        mixinStandardHelpOptions = true,
        description = {
            "API tokens of an Axle server: create one for MLFLOW_TRACKING_TOKEN, list and revoke them.",
            "Authenticate with MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, or MLFLOW_TRACKING_TOKEN."
        },
        subcommands = {TokenCreateCommand.class, TokenListCommand.class, TokenRevokeCommand.class})
public final class TokensCommand implements Runnable {
    static final String API = "/api/2.0/axle/tokens";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
