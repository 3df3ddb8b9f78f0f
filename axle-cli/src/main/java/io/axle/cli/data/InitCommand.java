package io.axle.cli.data;

import io.axle.data.repo.DvcRepo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code axle data init}. */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = DataCommand.BAD_ARGUMENTS,
        description = "Make this Git working tree a DVC repository (.dvc/config, .dvc/.gitignore, .dvcignore).")
final class InitCommand implements Runnable {
    @ParentCommand
    private DataCommand data;

    @Option(names = "--no-scm", description = "Initialise without Git.")
    private boolean noScm;

    @Option(
            names = {"-f", "--force"},
            description = "Initialise again over an existing .dvc directory.")
    private boolean force;

    @Override
    public void run() {
        DvcRepo.init(data.directory(), noScm, force);
        data.out().println("Initialized DVC repository.");
        data.out().println();
        data.out().println("You can now commit the changes to git.");
    }
}
