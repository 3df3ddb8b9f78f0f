package io.axle.cli;

import io.axle.cli.mlflowimport.ImportCommand;
import io.axle.cli.registry.ExportCommand;
import io.axle.cli.registry.OrphansCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code axle registry}: commands on the model registry of an Axle server. */
@Command(
        name = "registry",
        mixinStandardHelpOptions = true,
        description = "Commands on an Axle server's model registry.",
        subcommands = {ExportCommand.class, ImportCommand.class, OrphansCommand.class})
final class RegistryCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
