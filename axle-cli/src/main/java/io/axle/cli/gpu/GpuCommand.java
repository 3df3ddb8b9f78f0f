package io.axle.cli.gpu;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code axle gpu}: node tools for NVIDIA GPUs. Exit codes: 0 ok, 1 an error, 2 bad arguments, 3 no GPU can be read
 * here (no NVIDIA library, no driver, no device), 4 nothing fits ({@code pick}).
 */
@Command(
        name = "gpu",
        mixinStandardHelpOptions = true,
        description = "NVIDIA GPUs through NVML: list, pick for CUDA_VISIBLE_DEVICES, watch, Prometheus exporter "
                + "(DCGM names), Zabbix discovery, placement simulation.",
        subcommands = {
            GpuLsCommand.class,
            GpuPickCommand.class,
            GpuWatchCommand.class,
            GpuExporterCommand.class,
            GpuZabbixCommand.class,
            GpuSimulateCommand.class
        })
public final class GpuCommand implements Runnable {
    /** Exit code of {@code pick} when no GPU has the memory asked for. */
    public static final int NOTHING_FITS = 4;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
