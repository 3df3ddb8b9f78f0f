package io.axle.cli.gpu;

import io.axle.gpu.GpuSnapshot;
import io.axle.gpu.GpuSource;
import io.axle.gpu.zabbix.ZabbixGpus;
import io.axle.gpu.zabbix.ZabbixItem;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code axle gpu zabbix}: what a Zabbix agent's {@code UserParameter}s call, e.g.
 * {@code UserParameter=axle.gpu.discovery,axle gpu zabbix discovery} and
 * {@code UserParameter=axle.gpu[*],axle gpu zabbix get $1 $2}.
 */
@Command(
        name = "zabbix",
        mixinStandardHelpOptions = true,
        description = "GPU low-level discovery and item values for Zabbix agent UserParameters.",
        subcommands = {GpuZabbixCommand.Discovery.class, GpuZabbixCommand.Get.class})
public final class GpuZabbixCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "discovery",
            mixinStandardHelpOptions = true,
            description = "Prints low-level discovery JSON (Zabbix 4.2+: a top-level array) with {#UUID}, {#NAME} "
                    + "and {#INDEX} for each GPU.")
    static final class Discovery implements Runnable {
        @Mixin
        GpuSourceOptions sourceOptions;

        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().getOut().println(ZabbixGpus.discovery(read(sourceOptions)));
            spec.commandLine().getOut().flush();
        }
    }

    @Command(
            name = "get",
            mixinStandardHelpOptions = true,
            description = {
                "Prints one bare value of one GPU.",
                "A value the GPU does not report prints nothing on stdout and exits 1 with the reason on stderr, "
                        + "so the Zabbix item becomes unsupported instead of recording a made-up number."
            })
    static final class Get implements Runnable {
        @Mixin
        GpuSourceOptions sourceOptions;

        @Parameters(index = "0", paramLabel = "UUID", description = "The GPU, as {#UUID} in discovery.")
        String uuid;

        @Parameters(
                index = "1",
                paramLabel = "ITEM",
                completionCandidates = ItemKeys.class,
                description = "One of: ${COMPLETION-CANDIDATES}.")
        String item;

        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().getOut().println(ZabbixGpus.value(read(sourceOptions), uuid, item));
            spec.commandLine().getOut().flush();
        }
    }

    private static GpuSnapshot read(GpuSourceOptions sourceOptions) {
        try (GpuSource source = sourceOptions.open()) {
            return source.snapshot();
        }
    }

    /** For the help text: the item keys, as picocli's completion candidates. */
    static final class ItemKeys implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(ZabbixItem.values())
                    .map(ZabbixItem::key)
                    .iterator();
        }
    }
}
