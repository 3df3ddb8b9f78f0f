package io.axle.cli.data;

import io.axle.data.repo.ConfigLevel;
import io.axle.data.repo.DataException;
import io.axle.data.repo.RemoteConfig;
import io.axle.data.repo.RemoteSettings;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code axle data remote add|modify|list|remove|default}: the remote sections of {@code .dvc/config}. */
@Command(
        name = "remote",
        mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = DataCommand.BAD_ARGUMENTS,
        description = "Configure remotes in .dvc/config (or .dvc/config.local with --local).",
        subcommands = {
            RemoteCommand.Add.class,
            RemoteCommand.Modify.class,
            RemoteCommand.ListRemotes.class,
            RemoteCommand.Remove.class,
            RemoteCommand.Default.class
        })
final class RemoteCommand implements Runnable {
    @ParentCommand
    private DataCommand data;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    RemoteSettings settings() {
        return new RemoteSettings(data.repo());
    }

    /** {@code --local}: the option every remote subcommand has. */
    static final class Level {
        @Option(names = "--local", description = "Use .dvc/config.local (not committed to Git).")
        boolean local;

        ConfigLevel level() {
            return local ? ConfigLevel.LOCAL : ConfigLevel.REPO;
        }
    }

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            exitCodeOnInvalidInput = DataCommand.BAD_ARGUMENTS,
            description = "Add a remote.")
    static final class Add implements Runnable {
        @ParentCommand
        private RemoteCommand remote;

        @CommandLine.Mixin
        private Level level = new Level();

        @Option(
                names = {"-d", "--default"},
                description = "Make it the default remote.")
        private boolean makeDefault;

        @Option(
                names = {"-f", "--force"},
                description = "Replace a remote of the same name.")
        private boolean force;

        @Parameters(index = "0", paramLabel = "NAME")
        private String name;

        @Parameters(index = "1", paramLabel = "URL", description = "e.g. s3://bucket/path or /mnt/store")
        private String url;

        @Override
        public void run() {
            remote.settings().add(name, url, makeDefault, force, level.level());
        }
    }

    @Command(
            name = "modify",
            mixinStandardHelpOptions = true,
            exitCodeOnInvalidInput = DataCommand.BAD_ARGUMENTS,
            description = "Set or unset an option of a remote (url, endpointurl, region, profile, jobs...).")
    static final class Modify implements Runnable {
        @ParentCommand
        private RemoteCommand remote;

        @CommandLine.Mixin
        private Level level = new Level();

        @Option(
                names = {"-u", "--unset"},
                description = "Remove the option.")
        private boolean unset;

        @Parameters(index = "0", paramLabel = "NAME")
        private String name;

        @Parameters(index = "1", paramLabel = "OPTION")
        private String option;

        @Parameters(index = "2", arity = "0..1", paramLabel = "VALUE")
        private String value;

        @Override
        public void run() {
            if (!unset && value == null) {
                throw DataException.badArguments("remote modify needs a VALUE for '" + option + "' (or -u to unset)");
            }
            remote.settings().modify(name, option, unset ? Optional.empty() : Optional.of(value), level.level());
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            exitCodeOnInvalidInput = DataCommand.BAD_ARGUMENTS,
            description = "List remotes as NAME<TAB>URL.")
    static final class ListRemotes implements Runnable {
        @ParentCommand
        private RemoteCommand remote;

        @Option(names = "--local", description = "Only .dvc/config.local.")
        private boolean local;

        @Option(names = "--project", description = "Only .dvc/config.")
        private boolean project;

        @Override
        public void run() {
            Optional<ConfigLevel> level =
                    local ? Optional.of(ConfigLevel.LOCAL) : project ? Optional.of(ConfigLevel.REPO) : Optional.empty();
            for (RemoteConfig each : remote.settings().list(level)) {
                remote.data.out().println(each.name() + "\t" + each.url());
            }
        }
    }

    @Command(
            name = "remove",
            mixinStandardHelpOptions = true,
            exitCodeOnInvalidInput = DataCommand.BAD_ARGUMENTS,
            description = "Remove a remote (and the default, if it named it).")
    static final class Remove implements Runnable {
        @ParentCommand
        private RemoteCommand remote;

        @CommandLine.Mixin
        private Level level = new Level();

        @Parameters(index = "0", paramLabel = "NAME")
        private String name;

        @Override
        public void run() {
            remote.settings().remove(name, level.level());
        }
    }

    @Command(
            name = "default",
            mixinStandardHelpOptions = true,
            exitCodeOnInvalidInput = DataCommand.BAD_ARGUMENTS,
            description = "Print the default remote, or set it (or unset it with -u).")
    static final class Default implements Runnable {
        @ParentCommand
        private RemoteCommand remote;

        @CommandLine.Mixin
        private Level level = new Level();

        @Option(
                names = {"-u", "--unset"},
                description = "Unset the default remote.")
        private boolean unset;

        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME")
        private String name;

        @Override
        public void run() {
            RemoteSettings settings = remote.settings();
            if (unset) {
                settings.unsetDefault(level.level());
            } else if (name != null) {
                settings.setDefault(name, level.level());
            } else {
                Optional<ConfigLevel> only = level.local ? Optional.of(ConfigLevel.LOCAL) : Optional.empty();
                String current =
                        settings.defaultRemote(only).orElseThrow(() -> DataException.failed("No default remote set"));
                remote.data.out().println(current);
            }
        }
    }
}
