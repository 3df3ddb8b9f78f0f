package io.axle.cli;

import io.axle.cli.audit.AuditCommand;
import io.axle.cli.data.DataCommand;
import io.axle.cli.gpu.GpuCommand;
import io.axle.cli.serve.ServeCommand;
import io.axle.cli.tokens.TokensCommand;
import io.axle.cli.users.UsersCommand;
import io.axle.cli.webhooks.WebhooksCommand;
import io.axle.common.AxleException;
import io.axle.common.AxleVersion;
import io.axle.data.repo.DataException;
import io.axle.gpu.GpuUnavailableException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code axle} command. Failures a user can act on print one line and exit non-zero; nothing prints a trace. */
@Command(
        name = "axle",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description =
                "Axle: experiment tracking, model registry, data versioning, serving and GitOps deploys in one JVM.",
        subcommands = {
            ServerCommand.class,
            RegistryCommand.class,
            ModelsCommand.class,
            DataCommand.class,
            GpuCommand.class,
            TrainingCommand.class,
            ServeCommand.class,
            WebhooksCommand.class,
            UsersCommand.class,
            TokensCommand.class,
            AuditCommand.class,
            io.axle.cli.deploy.DeployCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the command line with its output and errors going to {@code out} and {@code err}. */
    static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setOut(out);
        commandLine.setErr(err);
        // a mistyped option gets one line that says what is wrong and where the help is, not the whole usage
        commandLine.setParameterExceptionHandler((failure, arguments) -> {
            CommandLine.Model.CommandSpec command = failure.getCommandLine().getCommandSpec();
            failure.getCommandLine()
                    .getErr()
                    .println("axle: " + failure.getMessage() + " (see '" + command.qualifiedName() + " --help')");
            return command.exitCodeOnInvalidInput();
        });
        commandLine.setExecutionExceptionHandler((failure, line, parseResult) -> {
            // axle data answers with DVC's exit codes, so scripts written for dvc read it the same way
            if (failure instanceof DataException data) {
                line.getErr().println("axle: " + data.getMessage());
                return data.exitCode();
            }
            if (DataCommand.isDataCommand(line)) {
                return dataFailure(line, failure);
            }
            if (failure instanceof GpuUnavailableException gpu) {
                line.getErr().println("axle: " + gpu.getMessage());
                return GpuUnavailableException.EXIT_CODE;
            }
            if (failure instanceof AxleException axle) {
                line.getErr().println("axle: " + axle.getMessage());
                return 1;
            }
            // a file that cannot be read or written (missing, no permission, disk full) is the user's to fix
            Throwable io = failure instanceof java.io.UncheckedIOException unchecked ? unchecked.getCause() : failure;
            if (io instanceof java.io.IOException) {
                line.getErr().println("axle: file error: " + io.getClass().getSimpleName() + ": " + io.getMessage());
                return 1;
            }
            throw failure;
        });
        return commandLine.execute(args);
    }

    /** DVC's 251 for config errors is in DataException; a file error or anything else is its 255. */
    private static int dataFailure(CommandLine line, Exception failure) {
        if (failure instanceof AxleException axle) {
            line.getErr().println("axle: " + axle.getMessage());
            return 1;
        }
        Throwable cause = failure instanceof java.io.UncheckedIOException unchecked ? unchecked.getCause() : failure;
        line.getErr()
                .println("axle: unexpected error - " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
        return DataCommand.OTHER_ERROR;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"axle " + AxleVersion.current() + " (Java " + Runtime.version() + ")"};
        }
    }
}
