package io.axle.cli;

import io.axle.cli.mlflowimport.ImportCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code axle registry}: commands on the model registry of an Axle server. */
@Command(
        name = "registry",
        mixinStandardHelpOptions = true,
        description = "Commands on an Axle server's model registry.",
        subcommands = {ImportCommand.class})
final class RegistryCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
