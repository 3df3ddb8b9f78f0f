package io.axle.cli.deploy;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code axle deploy}: deployments of registry models through GitOps, and their GPU admission. */
@Command(
        name = "deploy",
        mixinStandardHelpOptions = true,
        description = {
            "Deployments that follow a registry alias or stage: each promotion is admitted against the GPU pool,"
                    + " rendered and committed to the GitOps repository by the server.",
        },
        subcommands = {
            DeployCreateCommand.class,
            DeployUpdateCommand.class,
            DeployListCommand.class,
            DeployShowCommand.class,
            DeployDeleteCommand.class,
            DeployRenderCommand.class,
            DeployHistoryCommand.class,
            DeployRollbackCommand.class,
            DeployRetryCommand.class,
            DeployApplyCommand.class,
            DeployPoolsCommand.class
        })
public final class DeployCommand implements Runnable {
    static final String API = "/api/2.0/axle/deployments";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static String path(String name) {
        return API + "/" + io.axle.cli.client.TrackingClient.encodePath(name);
    }
}
