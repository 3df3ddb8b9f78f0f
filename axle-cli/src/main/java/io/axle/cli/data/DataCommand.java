package io.axle.cli.data;

import io.axle.data.repo.DvcRepo;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code axle data}: DVC 3 compatible data versioning on the same files as {@code dvc}. Exit codes are DVC's: 0 ok, 1
 * a command failed (or {@code status -q} found changes), 251 config, 253 not a DVC repository, 254 bad arguments, 255
 * anything else.
 */
@Command(
        name = "data",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = DataCommand.BAD_ARGUMENTS,
        description = "Data versioning on DVC 3's own files (.dvc files, .dvc/cache, .dvc/config); no server needed.",
        subcommands = {
            InitCommand.class,
            AddCommand.class,
            StatusCommand.class,
            CommitCommand.class,
            CheckoutCommand.class,
            RemoteCommand.class,
            DigestCommand.class,
            PushCommand.class,
            FetchCommand.class,
            PullCommand.class,
            GcCommand.class,
            GetCommand.class,
            ImportCommand.class,
            UpdateCommand.class,
            DiffCommand.class,
            LsCommand.class,
            ReproCommand.class,
            MetricsCommand.class,
            ParamsCommand.class
        })
public final class DataCommand implements Runnable {
    /** DVC's exit code for arguments it cannot parse. */
    static final int BAD_ARGUMENTS = 254;

    /** DVC's exit code for an unexpected error. */
    public static final int OTHER_ERROR = 255;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"-C", "--cd"},
            paramLabel = "DIR",
            description = "Run as if started in DIR (default: the current directory).")
    private Path directory = Path.of("");

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The directory the command works in; relative targets are resolved against it. */
    Path directory() {
        return directory.toAbsolutePath().normalize();
    }

    Path resolve(String target) {
        return directory().resolve(target).normalize();
    }

    DvcRepo repo() {
        return DvcRepo.find(directory());
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Whether this command's first ancestor named {@code data} is this command (for exit-code mapping in Main). */
    public static boolean isDataCommand(CommandLine line) {
        for (CommandLine current = line; current != null; current = current.getParent()) {
            if (current.getCommand() instanceof DataCommand) {
                return true;
            }
        }
        return false;
    }
}
