package io.axle.cli;

import io.axle.cli.registry.LineageCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code axle models}: commands on registered models. */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = "Commands on an Axle server's registered models.",
        subcommands = {LineageCommand.class})
final class ModelsCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
