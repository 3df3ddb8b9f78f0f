package io.axle.cli.data;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code axle data get}. */
@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = DataCommand.BAD_ARGUMENTS,
        description = "Download data tracked in another Git repository (no .dvc file is written).")
final class GetCommand implements Runnable {
    @ParentCommand
    private DataCommand data;

    @Mixin
    private SourceRepoOptions source;

    @Override
    public void run() {
        source.imports(data).get(source.url, source.path, source.rev, source.target(data));
    }
}
